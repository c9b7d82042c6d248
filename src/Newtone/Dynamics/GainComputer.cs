namespace Newtone.Dynamics;

/// <summary>
/// The static curve of SPEC §1: peak detector, compressor above threshold and the reference's
/// fixed expander below −120 dBFS.
/// <code>
///   xl = dB(max(|x|, 1e-8))
///   gl = min(0, (1 − 1/R)(T − xl), (1 − 1/ER)(ET − xl)),   ER = 0.9999, ET = −120 dB
/// </code>
/// </summary>
public static class GainComputer
{
    /// <summary>Detector floor (amplitude) of the peak detector.</summary>
    public const double Floor = 1e-8;

    /// <summary>Expander ratio ER of the reference model.</summary>
    public const double ExpanderRatio = 0.9999;

    /// <summary>Expander threshold ET (dB) of the reference model.</summary>
    public const double ExpanderThresholdDb = -120.0;

    /// <summary>Expander slope 1 − 1/ER (negative).</summary>
    public const double ExpanderSlope = 1.0 - 1.0 / ExpanderRatio;

    /// <summary>The static gain in dB for a detector level in dB.</summary>
    public static double GainDb(double levelDb, double thresholdDb, double ratio)
    {
        double compress = (1.0 - 1.0 / ratio) * (thresholdDb - levelDb);
        double expand = ExpanderSlope * (ExpanderThresholdDb - levelDb);
        return Math.Min(0.0, Math.Min(compress, expand));
    }

    /// <summary>The static gain (linear) for one input sample.</summary>
    public static double Gain(double sample, double thresholdDb, double ratio)
    {
        double level = Decibels.FromAmplitude(Math.Max(Math.Abs(sample), Floor));
        return Decibels.ToAmplitude(GainDb(level, thresholdDb, ratio));
    }
}
