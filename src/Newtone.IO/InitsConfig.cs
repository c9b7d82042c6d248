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
