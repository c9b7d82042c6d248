namespace Newtone.IO;

/// <summary><c>optimiser.*</c> of the fit configuration (defaults from <see cref="NewtonOptions"/>).</summary>
public sealed record OptimiserConfig
{
    private static readonly NewtonOptions D = new();

    /// <summary><c>method</c>: direct (Cholesky) or cg.</summary>
    public NewtonMethod Method { get; init; } = D.ConjugateGradient ? NewtonMethod.Cg : NewtonMethod.Direct;

    /// <summary><c>alpha</c>: Armijo constant.</summary>
    public double Alpha { get; init; } = D.Alpha;

    /// <summary><c>beta</c>: backtracking factor.</summary>
    public double Beta { get; init; } = D.Beta;

    /// <summary><c>max_iter</c>: line-search tries.</summary>
    public int MaxIter { get; init; } = D.MaxLineSearch;

    /// <summary><c>tolerance</c>: stop "converged" when λ/2 &lt; tolerance·L.</summary>
    public double Tolerance { get; init; } = D.Tolerance;

    /// <summary>The reference's key; accepted and ignored (the Hessian is always exact).</summary>
    public string? HessianModule { get; init; } = "autograd";

    /// <summary>The reference's key; accepted and ignored.</summary>
    public string? HessianMode { get; init; } = "revrev";

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1)) throw FitConfig.Bad("optimiser.alpha", "must lie in (0, 1)", Alpha);
        if (!(Beta > 0 && Beta < 1)) throw FitConfig.Bad("optimiser.beta", "must lie in (0, 1)", Beta);
        if (MaxIter < 1 || MaxIter > 10_000) throw FitConfig.Bad("optimiser.max_iter", "must lie in 1…10000", MaxIter);
        if (!(Tolerance >= 0) || !double.IsFinite(Tolerance)) throw FitConfig.Bad("optimiser.tolerance", "must not be negative", Tolerance);
    }
}
