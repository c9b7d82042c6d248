namespace Newtone.Study;

/// <summary>A level's fit is starting.</summary>
/// <param name="Mode">LA-2A mode.</param>
/// <param name="PeakReduction">Level.</param>
/// <param name="Pair">Its training recording.</param>
/// <param name="WarmStartFrom">The run it is warm-started from, or null for the default start.</param>
public sealed record SweepLevelStarting(La2aMode Mode, int PeakReduction, SignalTrainPair Pair, string? WarmStartFrom) : SweepEvent;
