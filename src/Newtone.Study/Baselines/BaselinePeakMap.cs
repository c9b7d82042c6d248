namespace Newtone.Study;

/// <summary>
/// How a file's peak reduction (0…100, from its name) sets one control: a linear map of 0…100 onto
/// <paramref name="Low"/>…<paramref name="High"/> (the control's own range when they are null); with
/// <paramref name="Decibels"/> the map is linear in decibels and the control receives the amplitude 10^(dB/20)
/// (for controls in linear gain, such as a threshold in amplitude).
/// </summary>
/// <param name="Symbol">The control's symbol.</param>
/// <param name="Low">Value at peak reduction 0.</param>
/// <param name="High">Value at peak reduction 100.</param>
/// <param name="Decibels">Low and High are decibels; the control takes the amplitude.</param>
public sealed record BaselinePeakMap(string Symbol, double? Low = null, double? High = null, bool Decibels = false)
{
    /// <summary>The control value for a peak reduction, given the control's range (used when Low/High are null).</summary>
    public double ValueAt(double peakReduction, Lv2Control control)
    {
        double lo = Low ?? control.Minimum ?? 0, hi = High ?? control.Maximum ?? 1;
        double v = lo + (hi - lo) * peakReduction / 100;
        return Decibels ? Math.Pow(10, v / 20) : v;
    }
}
