namespace Newtone.Dsp;

/// <summary>
/// LA-2A presets at any peak reduction between the knots (40 to 100 for the built-in ones): the published fits
/// (<see cref="PublishedSettings"/>) or a sweep's own runs, interpolated parameter by parameter with the
/// not-a-knot cubic spline in physical units (docs/model.md §6; the opto model's extras too, §11). Every knot must have
/// the same look-ahead and model.
/// </summary>
public sealed class La2aPresets
{
    private readonly SettingsInterpolation _interp;
    private readonly double _lookAheadMs;

    /// <summary>Presets from knots (peak reduction → model).</summary>
    public La2aPresets(IEnumerable<(int PeakReduction, CompressorModel Model)> knots)
    {
        var list = knots.ToList();
        if (list.Count < 2) throw new ArgumentException("presets need at least two peak-reduction settings");
        _lookAheadMs = list[0].Model.LookAheadMs;
        if (list.Any(k => k.Model.LookAheadMs != _lookAheadMs))
            throw new ArgumentException("the knots differ in look-ahead; presets interpolate the settings only");
        if (list.Any(k => k.Model.Kind != list[0].Model.Kind))
            throw new ArgumentException("the knots mix the ff5 and the opto model");
        _interp = new SettingsInterpolation(list.Select(k => ((double)k.PeakReduction, k.Model.Settings, k.Model.Opto)));
    }

    /// <summary>The built-in presets: the published fits of the reference (no look-ahead).</summary>
    public static La2aPresets Published(La2aMode mode) =>
        new(PublishedSettings.PeakReductions.Select(p => (p, new CompressorModel(PublishedSettings.At(mode, p)))));

    /// <summary>Lowest setting covered.</summary>
    public double Min => _interp.Min;

    /// <summary>Highest setting covered.</summary>
    public double Max => _interp.Max;

    /// <summary>The model at a peak reduction within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public CompressorModel At(double peakReduction)
    {
        if (!(peakReduction >= Min && peakReduction <= Max))
            throw new ArgumentOutOfRangeException(nameof(peakReduction), peakReduction,
                FormattableString.Invariant($"peak reduction must lie between {Min:G} and {Max:G}"));
        return new CompressorModel(_interp.Spline(peakReduction), _lookAheadMs) { Opto = _interp.OptoSpline(peakReduction) };
    }
}
