using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Why a Newton run stopped (docs/model.md §3).</summary>
public enum StopReason
{
    /// <summary>λ/2 fell below the tolerance relative to L.</summary>
    Converged,

    /// <summary>No step length satisfied the Armijo condition: the noise floor.</summary>
    LineSearch,

    /// <summary>The iteration limit (<c>epochs</c>) was reached.</summary>
    Epochs,
}
