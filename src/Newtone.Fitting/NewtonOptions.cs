using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Options of the Newton–Raphson optimiser (docs/model.md §3–§4, <c>optimiser.*</c>).</summary>
public sealed record NewtonOptions
{
    /// <summary>Use conjugate gradient instead of the direct (Cholesky) solve.</summary>
    public bool ConjugateGradient { get; init; }

    /// <summary>Armijo sufficient-decrease constant.</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>Backtracking factor.</summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Line-search tries per iteration.</summary>
    public int MaxLineSearch { get; init; } = 20;

    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop as converged when λ/2 &lt; Tolerance·L.</summary>
    public double Tolerance { get; init; } = 1e-10;
}
