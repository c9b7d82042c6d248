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

/// <summary><c>data.train.*</c>: the input and target recordings and an optional crop (s).</summary>
public sealed record TrainConfig
{
    /// <summary>The recording fed to the compressor.</summary>
    public string? Input { get; init; }

    /// <summary>The same recording through the device being modelled.</summary>
    public string? Target { get; init; }

    /// <summary>Crop start (s), or null.</summary>
    public double? Start { get; init; }

    /// <summary>Crop end (s), or null.</summary>
    public double? End { get; init; }

    internal void Validate()
    {
        if (Start is { } s && (!(s >= 0) || !double.IsFinite(s))) throw FitConfig.Bad("data.train.start", "must be a non-negative number of seconds", s);
        if (End is { } e && (!(e > 0) || !double.IsFinite(e))) throw FitConfig.Bad("data.train.end", "must be a positive number of seconds", e);
        if (Start is { } a && End is { } b && b <= a)
            throw new ConfigException($"data.train.end ({FitConfig.Fmt(b)}) must be after data.train.start ({FitConfig.Fmt(a)})");
    }
}
