namespace Newtone.Dsp;

/// <summary>The compressor in the form the kernel uses: threshold, ratio, smoothing coefficients, make-up.</summary>
/// <param name="ThresholdDb">Threshold T in dBFS.</param>
/// <param name="Ratio">Ratio R (≥ 1).</param>
/// <param name="Attack">Attack coefficient αa in (0, 1].</param>
/// <param name="Release">Release coefficient αr in (0, 1].</param>
/// <param name="MakeUpDb">Make-up gain M in dB.</param>
public readonly record struct CompressorCoefficients(double ThresholdDb, double Ratio, double Attack, double Release, double MakeUpDb)
{
    /// <summary>Back to physical units at <paramref name="sampleRate"/>.</summary>
    public CompressorSettings ToSettings(double sampleRate) => new(
        ThresholdDb, Ratio,
        Ballistics.Milliseconds(Attack, sampleRate),
        Ballistics.Milliseconds(Release, sampleRate),
        MakeUpDb);
}
