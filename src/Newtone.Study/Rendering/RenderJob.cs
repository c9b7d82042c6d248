
namespace Newtone.Study;

/// <summary>One file to render: a dataset target re-created from its input with a run's parameters.</summary>
/// <param name="Run">The fitted level.</param>
/// <param name="Pair">The dataset pair.</param>
/// <param name="Output">Output path (mirrors the target's relative path).</param>
public sealed record RenderJob(SweepRun Run, SignalTrainPair Pair, string Output);
