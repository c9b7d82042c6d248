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

    /// <summary><c>train.*</c>: the recording pair.</summary>
    public TrainConfig Train { get; init; } = new();

    internal void Validate()
    {
        if (!(Duration > 0) || !double.IsFinite(Duration)) throw FitConfig.Bad("data.duration", "must be a positive number of seconds", Duration);
        if (!(Overlap >= 0) || !double.IsFinite(Overlap)) throw FitConfig.Bad("data.overlap", "must not be negative", Overlap);
        if (Overlap >= Duration) throw new ConfigException($"data.overlap ({FitConfig.Fmt(Overlap)}) must be shorter than data.duration ({FitConfig.Fmt(Duration)})");
        Train.Validate();
    }
}
