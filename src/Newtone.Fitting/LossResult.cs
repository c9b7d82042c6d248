
namespace Newtone.Fitting;

/// <summary>Loss-only sums for one θ (docs/model.md §2), over the frames' samples beyond the overlap.</summary>
/// <param name="Loss">L = Σ r².</param>
/// <param name="PredictionEnergy">Σ y², y the pre-filtered prediction.</param>
/// <param name="CrossResidual">Σ r·y.</param>
/// <param name="ReferenceEnergy">Σ ρ², ρ the pre-filtered reference (P[t] forward, P[x] inverse).</param>
/// <param name="Scale">amp(e·M) of the θ evaluated (e = +1 forward, −1 inverse).</param>
public readonly record struct LossResult(double Loss, double PredictionEnergy, double CrossResidual, double ReferenceEnergy, double Scale)
{
    /// <summary>Error-to-signal ratio Σr²/Σρ² (a fraction).</summary>
    public double Esr => Loss / ReferenceEnergy;

    /// <summary>
    /// The factor by which the scale amp(e·M) would have to be multiplied to minimise the loss with
    /// the gain curve held fixed (the least-squares make-up): <c>Σyρ / Σy²</c>.
    /// </summary>
    public double OptimalScaleFactor => (PredictionEnergy - CrossResidual) / PredictionEnergy;

    /// <summary>The lowest loss reachable by changing M alone: <c>Σρ² − (Σyρ)²/Σy²</c>.</summary>
    public double ProfiledLoss
    {
        get
        {
            double cross = PredictionEnergy - CrossResidual;
            return cross > 0 ? Math.Max(0, ReferenceEnergy - cross * cross / PredictionEnergy) : ReferenceEnergy;
        }
    }
}
