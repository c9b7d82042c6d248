
namespace Newtone.Dsp;

/// <summary>
/// Interpolation of compressor settings between peak-reduction knots (docs/model.md §6), in physical units with
/// attack and release in ms: linear (between the two neighbouring knots; their mean at a midpoint) and
/// the not-a-knot cubic spline through all knots, one spline per parameter. When every knot carries the opto
/// model's extras (docs/model.md §11), they are interpolated the same way, one spline each (times in ms).
/// </summary>
public sealed class SettingsInterpolation
{
    private const int Five = 5;
    private readonly double[] _knots;
    private readonly CompressorSettings[] _values;
    private readonly OptoSettings[]? _opto;
    private readonly NotAKnotSpline[] _splines;

    /// <summary>Builds from (peak reduction, settings) knots.</summary>
    public SettingsInterpolation(IEnumerable<(double Knot, CompressorSettings Settings)> knots)
        : this(knots.Select(k => (k.Knot, k.Settings, (OptoSettings?)null)))
    {
    }

    /// <summary>
    /// Builds from (peak reduction, settings, opto extras) knots: the extras are null on every knot (ff5) or set on every
    /// knot (opto).
    /// </summary>
    public SettingsInterpolation(IEnumerable<(double Knot, CompressorSettings Settings, OptoSettings? Opto)> knots)
    {
        var sorted = knots.OrderBy(k => k.Knot).ToArray();
        _knots = sorted.Select(k => k.Knot).ToArray();
        _values = sorted.Select(k => k.Settings).ToArray();
        int withOpto = sorted.Count(k => k.Opto is not null);
        if (withOpto != 0 && withOpto != sorted.Length)
            throw new ArgumentException("either every knot or none carries the opto model's extras", nameof(knots));
        _opto = withOpto > 0 ? sorted.Select(k => k.Opto!).ToArray() : null;
        int count = _opto is null ? Five : 2 * Five;
        _splines = new NotAKnotSpline[count];
        for (int p = 0; p < count; p++) _splines[p] = new NotAKnotSpline(_knots, Column(p));
    }

    private double[] Column(int p)
    {
        var v = new double[_knots.Length];
        for (int i = 0; i < v.Length; i++) v[i] = p < Five ? _values[i][p] : _opto![i][p - Five];
        return v;
    }

    /// <summary>Lowest knot.</summary>
    public double Min => _knots[0];

    /// <summary>Highest knot.</summary>
    public double Max => _knots[^1];

    /// <summary>The knots.</summary>
    public IReadOnlyList<double> Knots => _knots;

    /// <summary>True when the knots carry the opto model's extras.</summary>
    public bool HasOpto => _opto is not null;

    /// <summary>Spline interpolation at <paramref name="x"/>.</summary>
    public CompressorSettings Spline(double x) => new(
        _splines[0].Evaluate(x), _splines[1].Evaluate(x), _splines[2].Evaluate(x), _splines[3].Evaluate(x), _splines[4].Evaluate(x));

    /// <summary>
    /// Spline interpolation of the opto extras at <paramref name="x"/> (null for ff5 knots). A cubic can overshoot
    /// between knots; values are kept inside the model's domain (knee ≥ 0, 0 ≤ share &lt; 1, times &gt; 0, emphasis &gt; −1).
    /// </summary>
    public OptoSettings? OptoSpline(double x)
    {
        if (_opto is null) return null;
        Span<double> v = stackalloc double[Five];
        OptoSpline(x, v);
        return new(v[0], v[1], v[2], v[3], v[4]);
    }

    /// <summary>
    /// <see cref="OptoSpline(double)"/> into five values (knee dB, share, charge ms, slow release ms, emphasis), without
    /// allocating: for a real-time host gliding a knob. The knots must carry the extras.
    /// </summary>
    internal void OptoSpline(double x, Span<double> values)
    {
        values[0] = Math.Max(0, _splines[5].Evaluate(x));
        values[1] = Math.Clamp(_splines[6].Evaluate(x), 0, 1 - 1e-9);
        values[2] = Math.Max(1e-6, _splines[7].Evaluate(x));
        values[3] = Math.Max(1e-6, _splines[8].Evaluate(x));
        values[4] = Math.Max(-1 + 1e-9, _splines[9].Evaluate(x));
    }

    /// <summary>Linear interpolation between the neighbouring knots.</summary>
    public CompressorSettings Linear(double x)
    {
        var (i, f) = Segment(x);
        if (f == 0) return _values[i];
        return CompressorSettings.FromIndex(p => _values[i][p] + f * (_values[i + 1][p] - _values[i][p]));
    }

    /// <summary>Linear interpolation of the opto extras between the neighbouring knots (null for ff5 knots).</summary>
    public OptoSettings? OptoLinear(double x)
    {
        if (_opto is null) return null;
        var (i, f) = Segment(x);
        if (f == 0) return _opto[i];
        return OptoSettings.FromIndex(p => _opto[i][p] + f * (_opto[i + 1][p] - _opto[i][p]));
    }

    /// <summary>The spline-interpolated model at <paramref name="x"/>: <paramref name="like"/>'s look-ahead, settings and extras interpolated.</summary>
    public CompressorModel Spline(CompressorModel like, double x) => like with { Settings = Spline(x), Opto = OptoSpline(x) };

    /// <summary>The linearly interpolated model at <paramref name="x"/>: <paramref name="like"/>'s look-ahead, settings and extras interpolated.</summary>
    public CompressorModel Linear(CompressorModel like, double x) => like with { Settings = Linear(x), Opto = OptoLinear(x) };

    private (int Index, double Fraction) Segment(double x)
    {
        int i = Array.BinarySearch(_knots, x);
        if (i >= 0) return (i, 0);
        i = Math.Clamp(~i - 1, 0, _knots.Length - 2);
        return (i, (x - _knots[i]) / (_knots[i + 1] - _knots[i]));
    }
}
