namespace Newtone.Audio;

/// <summary>
/// The DC-blocking pre-filter of SPEC §2, <c>P(z) = (1 − z⁻¹)/(1 − 0.995·z⁻¹)</c>, i.e.
/// <c>p[n] = s[n] − s[n−1] + 0.995·p[n−1]</c>, from zero initial state; state carries across blocks.
/// </summary>
public struct PreFilter
{
    /// <summary>The pole.</summary>
    public const double Pole = 0.995;

    private double _prevIn, _prevOut;

    /// <summary>Filters one sample.</summary>
    public double Next(double s)
    {
        double p = s - _prevIn + Pole * _prevOut;
        _prevIn = s;
        _prevOut = p;
        return p;
    }

    /// <summary>Back to zero state.</summary>
    public void Reset() => _prevIn = _prevOut = 0;
}
