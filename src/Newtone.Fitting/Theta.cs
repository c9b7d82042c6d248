namespace Newtone.Fitting;

/// <summary>
/// The optimisation variables of docs/model.md §1 ("the logits"): <c>θ = (T, uR, ua, ur, M)</c> for the ff5 model, and
/// for the opto model (docs/model.md §11.1) the same five followed by <see cref="Opto"/>'s five,
/// <c>(T, uR, ua, ur, M, uW, uφ, uc, us, uκ)</c>.
/// </summary>
/// <param name="Threshold">Threshold T in dB (unconstrained).</param>
/// <param name="RatioLogit">uR, mapped to the ratio by the ratio range.</param>
/// <param name="AttackLogit">ua, mapped to the attack coefficient.</param>
/// <param name="ReleaseLogit">ur, mapped to the release coefficient.</param>
/// <param name="MakeUp">Make-up gain M in dB (unconstrained).</param>
public readonly record struct Theta(double Threshold, double RatioLogit, double AttackLogit, double ReleaseLogit, double MakeUp)
{
    /// <summary>Number of parameters of the ff5 model (and of every θ's first components).</summary>
    public const int Count = 5;

    /// <summary>Number of parameters of the opto model.</summary>
    public const int OptoCount = 10;

    /// <summary>The opto model's extra logits (components 5–9), or null for an ff5 θ.</summary>
    public OptoTheta? Opto { get; init; }

    /// <summary>Number of components of this θ: <see cref="Count"/> (ff5) or <see cref="OptoCount"/> (opto).</summary>
    public int Dimension => Opto is null ? Count : OptoCount;

    /// <summary>Component by index (0 T, 1 uR, 2 ua, 3 ur, 4 M; opto: 5 uW, 6 uφ, 7 uc, 8 us, 9 uκ).</summary>
    public double this[int index] => index switch
    {
        0 => Threshold,
        1 => RatioLogit,
        2 => AttackLogit,
        3 => ReleaseLogit,
        4 => MakeUp,
        >= 5 and < OptoCount when Opto is { } o => o[index - Count],
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>The <see cref="Dimension"/> numbers in order.</summary>
    public double[] ToArray()
    {
        var a = new double[Dimension];
        for (int i = 0; i < a.Length; i++) a[i] = this[i];
        return a;
    }

    /// <summary>From five (ff5) or ten (opto) numbers in order.</summary>
    public static Theta FromSpan(ReadOnlySpan<double> v)
    {
        if (v.Length is not (Count or OptoCount)) throw new ArgumentException("θ has five (ff5) or ten (opto) components", nameof(v));
        var t = new Theta(v[0], v[1], v[2], v[3], v[4]);
        return v.Length == Count ? t : t with { Opto = new OptoTheta(v[5], v[6], v[7], v[8], v[9]) };
    }

    /// <summary><c>θ + t·s</c> (<paramref name="direction"/> has <see cref="Dimension"/> components).</summary>
    public Theta Step(ReadOnlySpan<double> direction, double t)
    {
        if (direction.Length != Dimension) throw new ArgumentException($"direction has {direction.Length} components, θ {Dimension}", nameof(direction));
        var s = new Theta(
            Threshold + t * direction[0], RatioLogit + t * direction[1], AttackLogit + t * direction[2],
            ReleaseLogit + t * direction[3], MakeUp + t * direction[4]);
        if (Opto is not { } o) return s;
        return s with
        {
            Opto = new OptoTheta(o.KneeLogit + t * direction[5], o.ShareLogit + t * direction[6], o.ChargeLogit + t * direction[7],
                o.SlowReleaseLogit + t * direction[8], o.EmphasisLogit + t * direction[9]),
        };
    }

    /// <summary>True when every component is a finite number.</summary>
    public bool IsFinite => double.IsFinite(Threshold) && double.IsFinite(RatioLogit) && double.IsFinite(AttackLogit)
        && double.IsFinite(ReleaseLogit) && double.IsFinite(MakeUp) && (Opto is not { } o || o.IsFinite);
}
