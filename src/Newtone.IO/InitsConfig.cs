namespace Newtone.IO;

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

    private static readonly OptoSettings O = new FitOptions().InitialOpto;

    /// <summary>Opto model: soft-knee width (dB, ≥ 0).</summary>
    public double KneeDb { get; init; } = O.KneeDb;

    /// <summary>Opto model: the slow stage's share (0 ≤ φ &lt; 1).</summary>
    public double SlowShare { get; init; } = O.SlowShare;

    /// <summary>Opto model: the slow stage's charge time (ms).</summary>
    public double ChargeMs { get; init; } = O.ChargeMs;

    /// <summary>Opto model: the slow stage's release time (ms).</summary>
    public double SlowReleaseMs { get; init; } = O.SlowReleaseMs;

    /// <summary>Opto model: side-chain emphasis κ (&gt; −1).</summary>
    public double Emphasis { get; init; } = O.Emphasis;

    /// <summary>The opto extras of the initial point.</summary>
    public OptoSettings ToOpto() => new(KneeDb, SlowShare, ChargeMs, SlowReleaseMs, Emphasis);

    /// <summary>As settings.</summary>
    public CompressorSettings ToSettings() => new(Threshold, Ratio, AttackMs, ReleaseMs, MakeUpGain);

    internal void Validate()
    {
        if (!double.IsFinite(Threshold)) throw FitConfig.Bad("compressor.inits.threshold", "must be a finite number of dB", Threshold);
        if (!(Ratio > 1) || !double.IsFinite(Ratio)) throw FitConfig.Bad("compressor.inits.ratio", "must be greater than 1", Ratio);
        if (!(AttackMs > 0) || !double.IsFinite(AttackMs)) throw FitConfig.Bad("compressor.inits.attack_ms", "must be positive", AttackMs);
        if (!(ReleaseMs > 0) || !double.IsFinite(ReleaseMs)) throw FitConfig.Bad("compressor.inits.release_ms", "must be positive", ReleaseMs);
        if (!double.IsFinite(MakeUpGain)) throw FitConfig.Bad("compressor.inits.make_up_gain", "must be a finite number of dB", MakeUpGain);
        if (!(KneeDb >= 0) || !double.IsFinite(KneeDb)) throw FitConfig.Bad("compressor.inits.knee_db", "must be a finite, non-negative number of dB", KneeDb);
        if (!(SlowShare >= 0 && SlowShare < 1)) throw FitConfig.Bad("compressor.inits.slow_share", "must lie in [0, 1)", SlowShare);
        if (!(ChargeMs > 0) || !double.IsFinite(ChargeMs)) throw FitConfig.Bad("compressor.inits.charge_ms", "must be positive", ChargeMs);
        if (!(SlowReleaseMs > 0) || !double.IsFinite(SlowReleaseMs)) throw FitConfig.Bad("compressor.inits.slow_release_ms", "must be positive", SlowReleaseMs);
        if (!(Emphasis > -1) || !double.IsFinite(Emphasis)) throw FitConfig.Bad("compressor.inits.emphasis", "must be a finite number greater than −1", Emphasis);
    }
}
