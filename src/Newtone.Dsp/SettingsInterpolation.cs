
namespace Newtone.Dsp;

/// <summary>
/// Interpolation of compressor settings between peak-reduction knots (docs/model.md §6), in physical units with
/// attack and release in ms: linear (between the two neighbouring knots; their mean at a midpoint) and
/// the not-a-knot cubic spline through all knots, one spline per parameter.
/// </summary>
public sealed class SettingsInterpolation
{
    private readonly double[] _knots;
    private readonly CompressorSettings[] _values;
    private readonly NotAKnotSpline[] _splines;

    /// <summary>Builds from (peak reduction, settings) knots.</summary>
    public SettingsInterpolation(IEnumerable<(double Knot, CompressorSettings Settings)> knots)
    {
        var sorted = knots.OrderBy(k => k.Knot).ToArray();
        _knots = sorted.Select(k => k.Knot).ToArray();
        _values = sorted.Select(k => k.Settings).ToArray();
        _splines = Enumerable.Range(0, 5).Select(p => new NotAKnotSpline(_knots, _values.Select(v => v[p]).ToArray())).ToArray();
    }

    /// <summary>Lowest knot.</summary>
    public double Min => _knots[0];

    /// <summary>Highest knot.</summary>
    public double Max => _knots[^1];

    /// <summary>The knots.</summary>
    public IReadOnlyList<double> Knots => _knots;

    /// <summary>Spline interpolation at <paramref name="x"/>.</summary>
    public CompressorSettings Spline(double x) => new(
        _splines[0].Evaluate(x), _splines[1].Evaluate(x), _splines[2].Evaluate(x), _splines[3].Evaluate(x), _splines[4].Evaluate(x));

    /// <summary>Linear interpolation between the neighbouring knots.</summary>
    public CompressorSettings Linear(double x)
    {
        int i = Array.BinarySearch(_knots, x);
        if (i >= 0) return _values[i];
        i = Math.Clamp(~i - 1, 0, _knots.Length - 2);
        double f = (x - _knots[i]) / (_knots[i + 1] - _knots[i]);
        return CompressorSettings.FromIndex(p => _values[i][p] + f * (_values[i + 1][p] - _values[i][p]));
    }
}
