namespace Newtone.Fitting;

/// <summary>How a Newton direction was obtained.</summary>
public enum StepKind
{
    /// <summary>Cholesky solve of H·s = −g (H positive definite).</summary>
    Newton,

    /// <summary>Conjugate gradient on H·s = −g (<c>optimiser.method: cg</c>).</summary>
    ConjugateGradient,

    /// <summary>H was not positive definite (negative curvature or singular): damped solve (H + μD)·s = −g.</summary>
    Damped,
}
