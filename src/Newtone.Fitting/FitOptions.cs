using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Everything a fit needs besides the audio (docs/model.md §4 in typed form).</summary>
public sealed record FitOptions
{
    /// <summary>The reference's default initial point: T −36 dB, R 4, attack 1 ms, release 200 ms, M 0 dB.</summary>
    public static readonly CompressorSettings DefaultInitial = new(-36, 4, 1, 200, 0);

    /// <summary>Forward or inverse objective.</summary>
    public ObjectiveMode Mode { get; init; } = ObjectiveMode.Forward;

    /// <summary>Look-ahead delay d in samples.</summary>
    public int Delay { get; init; }

    /// <summary>Newton options.</summary>
    public NewtonOptions Newton { get; init; } = new();

    /// <summary>Global-stage options.</summary>
    public SearchOptions Search { get; init; } = new();

    /// <summary>Initial point (physical units).</summary>
    public CompressorSettings Initial { get; init; } = DefaultInitial;

    /// <summary>True when <see cref="Initial"/> comes from an earlier run (warm start).</summary>
    public bool WarmStart { get; init; }
}
