namespace Newtone.Fitting;

/// <summary>One Newton iteration of one run (docs/model.md §3).</summary>
/// <param name="Run">The run (its label and current state).</param>
/// <param name="Record">The iteration as reported.</param>
public sealed record FitIteration(NewtonRun Run, IterationRecord Record) : FitEvent;
