namespace Newtone.Dsp;

/// <summary>The opto extras in the form the per-sample equations use (docs/model.md §11).</summary>
/// <param name="KneeNepers">Knee width w = k·W in nepers (k = ln10/20).</param>
/// <param name="Share">Slow-stage share φ.</param>
/// <param name="Charge">Charge coefficient βc = coef(τc).</param>
/// <param name="SlowRelease">Slow release coefficient βs = coef(τs).</param>
/// <param name="Emphasis">Side-chain emphasis κ.</param>
/// <param name="EmphasisPole">Side-chain high-pass pole ae = exp(−2π·fe/sr).</param>
internal readonly record struct OptoCoefficients(double KneeNepers, double Share, double Charge, double SlowRelease, double Emphasis, double EmphasisPole)
{
    /// <summary>The coefficients of the extras in front-panel units (knee dB, share, times in ms, emphasis) at a sample rate (Hz).</summary>
    public static OptoCoefficients Of(double kneeDb, double share, double chargeMs, double slowReleaseMs, double emphasis, double sampleRate) => new(
        Decibels.NepersPerDecibel * kneeDb, share,
        Ballistics.Coefficient(chargeMs, sampleRate), Ballistics.Coefficient(slowReleaseMs, sampleRate),
        emphasis, OptoSettings.EmphasisPole(sampleRate));
}
