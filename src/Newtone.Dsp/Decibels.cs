namespace Newtone.Dsp;

/// <summary>Decibel conversions: <c>dB(a) = 20·log10(a)</c>, <c>amp(d) = 10^(d/20)</c>.</summary>
public static class Decibels
{
    /// <summary>ln(10)/20: <c>amp(d) = exp(d·k)</c>.</summary>
    public const double NepersPerDecibel = 0.11512925464970229;

    /// <summary>20·log10(a).</summary>
    public static double FromAmplitude(double amplitude) => 20.0 * Math.Log10(amplitude);

    /// <summary>10^(d/20).</summary>
    public static double ToAmplitude(double decibels) => Math.Exp(decibels * NepersPerDecibel);
}
