using System.Runtime.Intrinsics;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>The comparison metrics of docs/model.md §8 for one prediction against its target.</summary>
/// <param name="Esr">ESR of the pre-filtered signals over the common length.</param>
/// <param name="LdrPrediction">LDR of the pre-filtered prediction.</param>
/// <param name="LdrTarget">LDR of the pre-filtered target.</param>
/// <param name="Samples">Samples compared (per channel).</param>
public readonly record struct ComparisonResult(double Esr, double LdrPrediction, double LdrTarget, long Samples)
{
    /// <summary>ΔLDR = LDR(prediction) − LDR(target).</summary>
    public double DeltaLdr => LdrPrediction - LdrTarget;
}
