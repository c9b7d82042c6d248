namespace Newtone.IO;

/// <summary>The Newton solve (<c>optimiser.method</c>).</summary>
public enum NewtonMethod
{
    /// <summary><c>direct</c>: Cholesky.</summary>
    Direct,

    /// <summary><c>cg</c>: conjugate gradient with Hessian-vector products.</summary>
    Cg,
}
