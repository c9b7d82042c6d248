using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>The outcome of a fit.</summary>
public sealed class FitResult
{
    /// <summary>Best θ (logits).</summary>
    public required Theta Theta { get; init; }

    /// <summary>Best parameters in physical units.</summary>
    public required CompressorSettings Settings { get; init; }

    /// <summary>The fitted model: <see cref="Settings"/>, the look-ahead the fit used and, for the opto model, its extras (docs/model.md §11).</summary>
    public required CompressorModel Model { get; init; }

    /// <summary>Lowest loss on the training frames.</summary>
    public required double Loss { get; init; }

    /// <summary>ESR (fraction) on the pre-filtered training frames beyond the overlap.</summary>
    public required double Esr { get; init; }

    /// <summary>Newton iterations on the winning path (global stage and final stage).</summary>
    public required int Iterations { get; init; }

    /// <summary>Why the final Newton run stopped.</summary>
    public required StopReason Stop { get; init; }

    /// <summary>Make-up initialisation shift (dB) applied to the initial point.</summary>
    public required double MakeUpShiftDb { get; init; }

    /// <summary>Wall time of the fit.</summary>
    public required double Seconds { get; init; }

    /// <summary>Mean wall time of one loss+gradient+Hessian evaluation on the training frames.</summary>
    public required double MeanDerivativeSeconds { get; init; }

    /// <summary>Iteration records of the winning path.</summary>
    public required IReadOnlyList<IterationRecord> History { get; init; }

    /// <summary>What the global stage did (null when it was off).</summary>
    public SearchReport? Search { get; init; }

    /// <summary>Iterations whose Hessian was not positive definite (damped steps) on the winning path.</summary>
    public int DampedSteps { get; init; }
}
