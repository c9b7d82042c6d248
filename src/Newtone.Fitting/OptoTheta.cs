namespace Newtone.Fitting;

/// <summary>
/// The opto model's five extra logits (docs/model.md §11.1), θ components 5–9: <c>(uW, uφ, uc, us, uκ)</c>.
/// </summary>
/// <param name="KneeLogit">uW, mapped to the knee width W (dB) by the knee range.</param>
/// <param name="ShareLogit">uφ, mapped to the slow share φ.</param>
/// <param name="ChargeLogit">uc, mapped to the charge coefficient βc (a larger uc means a longer time).</param>
/// <param name="SlowReleaseLogit">us, mapped to the slow release coefficient βs.</param>
/// <param name="EmphasisLogit">uκ, mapped to the side-chain emphasis κ.</param>
public readonly record struct OptoTheta(double KneeLogit, double ShareLogit, double ChargeLogit, double SlowReleaseLogit, double EmphasisLogit)
{
    /// <summary>Component by index (0 uW, 1 uφ, 2 uc, 3 us, 4 uκ).</summary>
    public double this[int index] => index switch
    {
        0 => KneeLogit,
        1 => ShareLogit,
        2 => ChargeLogit,
        3 => SlowReleaseLogit,
        4 => EmphasisLogit,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>True when every component is a finite number.</summary>
    public bool IsFinite => double.IsFinite(KneeLogit) && double.IsFinite(ShareLogit) && double.IsFinite(ChargeLogit)
        && double.IsFinite(SlowReleaseLogit) && double.IsFinite(EmphasisLogit);
}
