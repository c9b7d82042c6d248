namespace Newtone.Fitting;

/// <summary>
/// The optimisation variables of docs/model.md §1 ("the logits"): <c>θ = (T, uR, ua, ur, M)</c>.
/// </summary>
/// <param name="Threshold">Threshold T in dB (unconstrained).</param>
/// <param name="RatioLogit">uR, mapped to the ratio by the ratio range.</param>
/// <param name="AttackLogit">ua, mapped to the attack coefficient.</param>
/// <param name="ReleaseLogit">ur, mapped to the release coefficient.</param>
/// <param name="MakeUp">Make-up gain M in dB (unconstrained).</param>
public readonly record struct Theta(double Threshold, double RatioLogit, double AttackLogit, double ReleaseLogit, double MakeUp)
{
    /// <summary>Number of parameters.</summary>
    public const int Count = 5;

    /// <summary>Component by index (0 T, 1 uR, 2 ua, 3 ur, 4 M).</summary>
    public double this[int index] => index switch
    {
        0 => Threshold,
        1 => RatioLogit,
        2 => AttackLogit,
        3 => ReleaseLogit,
        4 => MakeUp,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>The five numbers in order.</summary>
    public double[] ToArray() => [Threshold, RatioLogit, AttackLogit, ReleaseLogit, MakeUp];

    /// <summary>From five numbers in order.</summary>
    public static Theta FromSpan(ReadOnlySpan<double> v)
    {
        if (v.Length != Count) throw new ArgumentException("θ has five components", nameof(v));
        return new Theta(v[0], v[1], v[2], v[3], v[4]);
    }

    /// <summary><c>θ + t·s</c>.</summary>
    public Theta Step(ReadOnlySpan<double> direction, double t) => new(
        Threshold + t * direction[0], RatioLogit + t * direction[1], AttackLogit + t * direction[2],
        ReleaseLogit + t * direction[3], MakeUp + t * direction[4]);

    /// <summary>True when every component is a finite number.</summary>
    public bool IsFinite => double.IsFinite(Threshold) && double.IsFinite(RatioLogit) && double.IsFinite(AttackLogit)
        && double.IsFinite(ReleaseLogit) && double.IsFinite(MakeUp);
}
