namespace Newtone.Fitting;

/// <summary>
/// What the opto kernel needs of one θ (docs/model.md §11.2) besides ff5's <see cref="LaneConstants"/>, precomputed once
/// per evaluation: the knee in nepers with its logit derivatives (w = k·W, w' = k·W', w'' = k·W''), the share φ, φ', φ'',
/// the slow stage's coefficients βc, βs with their first two logit derivatives, the emphasis κ, κ', κ'' and the side-chain
/// pole ae.
/// </summary>
internal readonly struct OptoLaneConstants
{
    public readonly LaneConstants Core;
    public readonly double Knee, KneeD1, KneeD2;
    public readonly double Share, ShareD1, ShareD2;
    public readonly double Charge, ChargeD1, ChargeD2, SlowRelease, SlowReleaseD1, SlowReleaseD2;
    public readonly double Emphasis, EmphasisD1, EmphasisD2, Pole;

    public OptoLaneConstants(ParameterSpace space, Theta theta, double makeUpSign)
    {
        const double k = Decibels.NepersPerDecibel;
        var o = theta.Opto ?? throw new ArgumentException("not an opto θ", nameof(theta));
        Core = new LaneConstants(space, theta, makeUpSign);
        var (w, w1, w2) = space.Knee(o.KneeLogit);
        (Knee, KneeD1, KneeD2) = (k * w, k * w1, k * w2);
        (Share, ShareD1, ShareD2) = space.Share(o.ShareLogit);
        (Charge, ChargeD1, ChargeD2) = space.Charge(o.ChargeLogit);
        (SlowRelease, SlowReleaseD1, SlowReleaseD2) = space.SlowRelease(o.SlowReleaseLogit);
        (Emphasis, EmphasisD1, EmphasisD2) = space.Emphasis(o.EmphasisLogit);
        Pole = OptoSettings.EmphasisPole(space.SampleRate);
    }
}
