
namespace Newtone.Fitting;

/// <summary>Loss, gradient and exact Hessian of one θ (docs/model.md §3; §11.2 for the opto model).</summary>
public sealed class SecondOrder
{
    /// <summary>An ff5 result (five components).</summary>
    public SecondOrder() : this(Theta.Count) { }

    /// <summary>A result over <paramref name="dimension"/> components (<see cref="Theta.Dimension"/>).</summary>
    internal SecondOrder(int dimension)
    {
        Gradient = new double[dimension];
        Hessian = new double[dimension, dimension];
    }

    /// <summary>Loss and its component sums.</summary>
    public LossResult Sums { get; init; }

    /// <summary>L(θ).</summary>
    public double Loss => Sums.Loss;

    /// <summary>∂L/∂θ (5 for ff5, 10 for opto).</summary>
    public double[] Gradient { get; }

    /// <summary>∂²L/∂θ² (symmetric, 5×5 for ff5, 10×10 for opto).</summary>
    public double[,] Hessian { get; }
}
