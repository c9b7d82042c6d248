namespace Newtone.Study;

/// <summary>
/// The Adam optimiser as PyTorch implements it (no weight decay, no AMSGrad):
/// <code>
///   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
///   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
/// </code>
/// </summary>
internal sealed class Adam
{
    /// <summary>Creates the optimiser for <paramref name="count"/> parameters.</summary>
    public Adam(int count, double learningRate = 5e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        M = new double[count];
        V = new double[count];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>β1.</summary>
    public double Beta1 { get; }

    /// <summary>β2.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>First-moment estimates.</summary>
    public double[] M { get; }

    /// <summary>Second-moment estimates.</summary>
    public double[] V { get; }

    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>One update of <paramref name="parameters"/> with gradient <paramref name="gradient"/>.</summary>
    public void Update(double[] parameters, ReadOnlySpan<double> gradient)
    {
        Step++;
        double c1 = 1 - Math.Pow(Beta1, Step), c2 = 1 - Math.Pow(Beta2, Step);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            M[i] = Beta1 * M[i] + (1 - Beta1) * g;
            V[i] = Beta2 * V[i] + (1 - Beta2) * g * g;
            parameters[i] -= LearningRate * (M[i] / c1) / (Math.Sqrt(V[i] / c2) + Epsilon);
        }
    }
}
