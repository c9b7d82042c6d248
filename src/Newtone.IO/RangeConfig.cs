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

    internal void Validate()
    {
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
