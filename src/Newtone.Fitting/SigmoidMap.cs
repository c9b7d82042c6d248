namespace Newtone.Fitting;

/// <summary>
/// A bounded sigmoid map <c>v = min + (max − min)·σ(u)</c> from a logit to a physical value,
/// with its first and second derivatives (docs/model.md §1, "the logits"). The map stays monotone when
/// <c>min &gt; max</c> (as for the attack coefficient range).
/// </summary>
/// <param name="Min">Value at u → −∞.</param>
/// <param name="Max">Value at u → +∞.</param>
internal readonly record struct SigmoidMap(double Min, double Max)
{
    /// <summary>v(u).</summary>
    public double Value(double u) => Min + (Max - Min) * Sigmoid(u);

    /// <summary>v, dv/du and d²v/du² at u.</summary>
    public (double Value, double First, double Second) Evaluate(double u)
    {
        double s = Sigmoid(u);
        double span = Max - Min;
        double d1 = span * s * (1 - s);
        return (Min + span * s, d1, d1 * (1 - 2 * s));
    }

    /// <summary>u(v) = ln((v − min)/(max − v)); ±∞ outside the open range.</summary>
    public double Logit(double v) => Math.Log((v - Min) / (Max - v));

    /// <summary>True when v lies strictly inside the range.</summary>
    public bool Contains(double v) => Min < Max ? v > Min && v < Max : v < Min && v > Max;

    /// <summary>The logistic function.</summary>
    public static double Sigmoid(double u) => u >= 0 ? 1.0 / (1.0 + Math.Exp(-u)) : Math.Exp(u) / (1.0 + Math.Exp(u));
}
