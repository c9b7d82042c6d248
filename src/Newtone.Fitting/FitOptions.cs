using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Everything a fit needs besides the audio (docs/model.md §4 in typed form).</summary>
public sealed record FitOptions
{
    /// <summary>The reference's default initial point: T −36 dB, R 4, attack 1 ms, release 200 ms, M 0 dB.</summary>
    public static readonly CompressorSettings DefaultInitial = new(-36, 4, 1, 200, 0);

    /// <summary>The opto model's default initial extras (docs/model.md §11.1): knee 6 dB, slow share 0.3, charge 1000 ms, slow release 2000 ms, emphasis 0.</summary>
    public static readonly OptoSettings DefaultInitialOpto = new(6, 0.3, 1000, 2000, 0);

    /// <summary>The model to fit: <see cref="ModelKind.Ff5"/> (docs/model.md §1, the default) or <see cref="ModelKind.Opto"/> (§11).</summary>
    public ModelKind Model { get; init; } = ModelKind.Ff5;

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

    /// <summary>
    /// The opto model's initial extras (physical units), used when <see cref="Model"/> is <see cref="ModelKind.Opto"/>. A warm
    /// start from an opto model sets them with <see cref="Initial"/>; from an ff5 model they stay at the defaults.
    /// </summary>
    public OptoSettings InitialOpto { get; init; } = DefaultInitialOpto;

    /// <summary>True when <see cref="Initial"/> comes from an earlier run (warm start).</summary>
    public bool WarmStart { get; init; }

    /// <summary>
    /// These options warm-started from an earlier run's model: its settings, and its opto extras when it has them (else
    /// <see cref="InitialOpto"/> is kept).
    /// </summary>
    public FitOptions WarmStartFrom(CompressorModel model) =>
        this with { Initial = model.Settings, InitialOpto = model.Opto ?? InitialOpto, WarmStart = true };
}
