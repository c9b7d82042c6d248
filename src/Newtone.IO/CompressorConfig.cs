namespace Newtone.IO;

/// <summary><c>compressor.*</c> of the fit configuration.</summary>
public sealed record CompressorConfig
{
    /// <summary><c>compressor.inits</c>: the initial point.</summary>
    public InitsConfig Inits { get; init; } = new();

    /// <summary><c>compressor.range</c>: the parameter ranges of the logit maps.</summary>
    public RangeConfig Range { get; init; } = new();

    /// <summary><c>compressor.init_ckpt</c>: params.json of an earlier run (or its directory) to warm-start from.</summary>
    public string? InitCkpt { get; init; }

    /// <summary><c>compressor.delay</c>: look-ahead in samples.</summary>
    public int Delay { get; init; }

    internal void Validate()
    {
        Inits.Validate();
        Range.Validate();
        if (Delay < 0) throw FitConfig.Bad("compressor.delay", "must not be negative", Delay);
    }
}

/// <summary><c>compressor.inits</c>: the initial point in physical units (default: the reference's).</summary>
public sealed record InitsConfig
{
    private static readonly CompressorSettings D = FitOptions.DefaultInitial;

    /// <summary>Threshold (dB).</summary>
    public double Threshold { get; init; } = D.ThresholdDb;

    /// <summary>Ratio (&gt; 1).</summary>
    public double Ratio { get; init; } = D.Ratio;

    /// <summary>Attack (ms).</summary>
    public double AttackMs { get; init; } = D.AttackMs;

    /// <summary>Release (ms).</summary>
    public double ReleaseMs { get; init; } = D.ReleaseMs;

    /// <summary>Make-up gain (dB).</summary>
    public double MakeUpGain { get; init; } = D.MakeUpDb;

    /// <summary>As settings.</summary>
    public CompressorSettings ToSettings() => new(Threshold, Ratio, AttackMs, ReleaseMs, MakeUpGain);

    internal void Validate()
    {
        if (!double.IsFinite(Threshold)) throw FitConfig.Bad("compressor.inits.threshold", "must be a finite number of dB", Threshold);
        if (!(Ratio > 1) || !double.IsFinite(Ratio)) throw FitConfig.Bad("compressor.inits.ratio", "must be greater than 1", Ratio);
        if (!(AttackMs > 0) || !double.IsFinite(AttackMs)) throw FitConfig.Bad("compressor.inits.attack_ms", "must be positive", AttackMs);
        if (!(ReleaseMs > 0) || !double.IsFinite(ReleaseMs)) throw FitConfig.Bad("compressor.inits.release_ms", "must be positive", ReleaseMs);
        if (!double.IsFinite(MakeUpGain)) throw FitConfig.Bad("compressor.inits.make_up_gain", "must be a finite number of dB", MakeUpGain);
    }
}

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
