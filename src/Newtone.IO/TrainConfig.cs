namespace Newtone.IO;

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
