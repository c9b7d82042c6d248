namespace Newtone.IO;

/// <summary><c>compressor.range</c>: a null range means the reference's unbounded fall-back map.</summary>
public sealed record RangeConfig
{
    /// <summary>Ratio range (null: R = 1 + e^u).</summary>
    public PhysicalRange? Ratio { get; init; } = ParameterSpace.DefaultRatioRange;

    /// <summary>Attack range in ms (null: α = σ(u)).</summary>
    public PhysicalRange? AttackMs { get; init; } = ParameterSpace.DefaultAttackRangeMs;

    /// <summary>Release range in ms (null: α = σ(u)).</summary>
    public PhysicalRange? ReleaseMs { get; init; } = ParameterSpace.DefaultReleaseRangeMs;

    /// <summary>Opto model: knee width range (dB, within [0, ∞)).</summary>
    public PhysicalRange KneeDb { get; init; } = OptoRanges.Default.KneeDb;

    /// <summary>Opto model: slow share range (within [0, 1]).</summary>
    public PhysicalRange SlowShare { get; init; } = OptoRanges.Default.SlowShare;

    /// <summary>Opto model: charge time range (ms).</summary>
    public PhysicalRange ChargeMs { get; init; } = OptoRanges.Default.ChargeMs;

    /// <summary>Opto model: slow release time range (ms).</summary>
    public PhysicalRange SlowReleaseMs { get; init; } = OptoRanges.Default.SlowReleaseMs;

    /// <summary>Opto model: emphasis range (within (−1, ∞)).</summary>
    public PhysicalRange Emphasis { get; init; } = OptoRanges.Default.Emphasis;

    /// <summary>The opto model's ranges.</summary>
    public OptoRanges ToOpto() => new(KneeDb, SlowShare, ChargeMs, SlowReleaseMs, Emphasis);

    internal void Validate()
    {
        Check("compressor.range.knee_db", KneeDb, 0, "a knee width is not negative");
        Check("compressor.range.slow_share", SlowShare, 0, "a share is not negative");
        if (SlowShare.Max > 1) throw new ConfigException($"compressor.range.slow_share.max: a share is at most 1 (got {FitConfig.Fmt(SlowShare.Max)})");
        Check("compressor.range.charge_ms", ChargeMs, double.Epsilon, "must be positive");
        Check("compressor.range.slow_release_ms", SlowReleaseMs, double.Epsilon, "must be positive");
        if (!(Emphasis.Min > -1)) throw new ConfigException($"compressor.range.emphasis.min: must exceed −1 (the shelf gain 1 + κ must stay positive; got {FitConfig.Fmt(Emphasis.Min)})");
        Check("compressor.range.emphasis", Emphasis, -1, "must exceed −1");
        Check("compressor.range.ratio", Ratio, 1, "a ratio below 1 is not a compressor");
        Check("compressor.range.attack_ms", AttackMs, double.Epsilon, "must be positive");
        Check("compressor.range.release_ms", ReleaseMs, double.Epsilon, "must be positive");
    }

    private static void Check(string key, PhysicalRange? range, double lowest, string why)
    {
        if (range is not { } r) return;
        if (!double.IsFinite(r.Min) || !double.IsFinite(r.Max)) throw new ConfigException($"{key}: min and max must be finite numbers");
        if (!(r.Max > r.Min)) throw new ConfigException($"{key}: max ({FitConfig.Fmt(r.Max)}) must exceed min ({FitConfig.Fmt(r.Min)})");
        if (!(r.Min >= lowest)) throw new ConfigException($"{key}.min: {why} (got {FitConfig.Fmt(r.Min)})");
    }
}
