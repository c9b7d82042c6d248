
namespace Newtone.Fitting;

/// <summary>Loss, gradient and exact Hessian of one θ (docs/model.md §3).</summary>
public sealed class SecondOrder
{
    /// <summary>Loss and its component sums.</summary>
    public LossResult Sums { get; init; }

    /// <summary>L(θ).</summary>
    public double Loss => Sums.Loss;

    /// <summary>∂L/∂θ (5).</summary>
    public double[] Gradient { get; } = new double[Theta.Count];

    /// <summary>∂²L/∂θ² (5×5, symmetric).</summary>
    public double[,] Hessian { get; } = new double[Theta.Count, Theta.Count];
}
