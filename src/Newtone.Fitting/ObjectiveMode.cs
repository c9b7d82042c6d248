
namespace Newtone.Fitting;

/// <summary>The two training objectives of docs/model.md §2.</summary>
public enum ObjectiveMode
{
    /// <summary><c>Σ (P[y_θ] − P[t])²</c>.</summary>
    Forward,

    /// <summary><c>Σ (P[x] − P[t / (amp(M)·ĝ_θ[P[x]])])²</c>.</summary>
    Inverse,
}
