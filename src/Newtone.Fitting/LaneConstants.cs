
namespace Newtone.Fitting;

/// <summary>
/// What the objective kernel needs of one θ, precomputed once per evaluation (docs/model.md §1 maps and
/// their derivatives), in natural-log units (k = ln10/20):
/// <code>
///   KT  = k·T,  S = 1 − 1/R,  KS = k·S
///   CR  = R'/R²,  CRR = R''/R² − 2R'²/R³,  KCR = k·CR     (∂S/∂uR = CR, ∂²S/∂uR² = CRR)
///   α, α', α'' for attack and release;  Scale = amp(e·M)  (e = +1 forward, −1 inverse)
/// </code>
/// </summary>
internal readonly struct LaneConstants
{
    public readonly double KT, S, KS, CR, CRR, KCR;
    public readonly double Attack, AttackD1, AttackD2, Release, ReleaseD1, ReleaseD2;
    public readonly double Scale;

    public LaneConstants(ParameterSpace space, Theta theta, double makeUpSign)
    {
        const double k = Decibels.NepersPerDecibel;
        var (r, r1, r2) = space.Ratio(theta.RatioLogit);
        KT = k * theta.Threshold;
        S = 1.0 - 1.0 / r;
        KS = k * S;
        CR = r1 / (r * r);
        CRR = r2 / (r * r) - 2.0 * r1 * r1 / (r * r * r);
        KCR = k * CR;
        (Attack, AttackD1, AttackD2) = space.Attack(theta.AttackLogit);
        (Release, ReleaseD1, ReleaseD2) = space.Release(theta.ReleaseLogit);
        Scale = Math.Exp(makeUpSign * k * theta.MakeUp);
    }
}
