namespace Newtone.Fitting;

/// <summary>The ranges of the opto model's extra parameters (docs/model.md §11.1), each mapped by a bounded sigmoid.</summary>
/// <param name="KneeDb">Knee width W in dB (0 ≤ min &lt; max).</param>
/// <param name="SlowShare">Slow share φ (0 ≤ min &lt; max ≤ 1).</param>
/// <param name="ChargeMs">Charge time τc in ms (0 &lt; min &lt; max), mapped through coef as attack and release.</param>
/// <param name="SlowReleaseMs">Slow release time τs in ms (0 &lt; min &lt; max).</param>
/// <param name="Emphasis">Side-chain emphasis κ (−1 &lt; min &lt; max).</param>
public sealed record OptoRanges(PhysicalRange KneeDb, PhysicalRange SlowShare, PhysicalRange ChargeMs, PhysicalRange SlowReleaseMs, PhysicalRange Emphasis)
{
    /// <summary>The default ranges: knee 0–24 dB, share 0–1, charge 10–10000 ms, slow release 100–20000 ms, emphasis −0.9–9.</summary>
    public static OptoRanges Default { get; } = new(new(0, 24), new(0, 1), new(10, 10000), new(100, 20000), new(-0.9, 9));
}
