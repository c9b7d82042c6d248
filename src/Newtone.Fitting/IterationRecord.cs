using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>One Newton iteration as reported (docs/model.md §3).</summary>
/// <param name="Iteration">1-based iteration number within its stage.</param>
/// <param name="Stage">"search" (global stage) or "fit".</param>
/// <param name="Loss">Loss after the step.</param>
/// <param name="Decrement">Newton decrement λ = −gᵀs at the start of the iteration.</param>
/// <param name="StepLength">Accepted step length t (0 when none was accepted).</param>
/// <param name="Tries">Line-search tries.</param>
/// <param name="EsrPercent">ESR after the step, in %.</param>
/// <param name="Settings">Parameters after the step, in physical units.</param>
/// <param name="Kind">How the direction was obtained.</param>
/// <param name="Seconds">Wall time of the iteration.</param>
public sealed record IterationRecord(int Iteration, string Stage, double Loss, double Decrement, double StepLength, int Tries,
    double EsrPercent, CompressorSettings Settings, StepKind Kind, double Seconds)
{
    /// <summary>The opto extras after the step (docs/model.md §11), or null in an ff5 fit.</summary>
    public OptoSettings? Opto { get; init; }
}
