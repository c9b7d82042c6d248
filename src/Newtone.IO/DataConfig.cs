namespace Newtone.IO;

/// <summary><c>data.*</c> of the fit configuration.</summary>
public sealed record DataConfig
{
    /// <summary><c>duration</c>: frame length (s).</summary>
    public double Duration { get; init; } = 12;

    /// <summary><c>overlap</c>: warm-up excluded from the loss (s).</summary>
    public double Overlap { get; init; } = 1;

    /// <summary>The reference's memory knob; accepted, not needed.</summary>
    public long BatchSize { get; init; } = -1;

    /// <summary>
    /// <c>holdout</c>: the fraction (0 ≤ h &lt; 1) of the (cropped) training audio kept out of the fit: the fit uses the
    /// first 1 − h of it and reports the ESR on the rest (docs/model.md §2, held-out ESR). 0: no hold-out.
    /// </summary>
    public double Holdout { get; init; }

    /// <summary><c>train.*</c>: the recording pair.</summary>
    public TrainConfig Train { get; init; } = new();

    internal void Validate()
    {
        if (!(Duration > 0) || !double.IsFinite(Duration)) throw FitConfig.Bad("data.duration", "must be a positive number of seconds", Duration);
        if (!(Overlap >= 0) || !double.IsFinite(Overlap)) throw FitConfig.Bad("data.overlap", "must not be negative", Overlap);
        if (Overlap >= Duration) throw new ConfigException($"data.overlap ({FitConfig.Fmt(Overlap)}) must be shorter than data.duration ({FitConfig.Fmt(Duration)})");
        if (!(Holdout >= 0 && Holdout < 1)) throw FitConfig.Bad("data.holdout", "must be a fraction in [0, 1) of the training audio", Holdout);
        Train.Validate();
    }
}
