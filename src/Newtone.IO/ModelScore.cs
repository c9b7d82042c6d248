namespace Newtone.IO;

/// <summary>One model's fit in a <see cref="ModelComparisonJob"/>: training and held-out scores side by side.</summary>
/// <param name="Model">The model fitted.</param>
/// <param name="Parameters">Its number of fitted parameters (make-up included).</param>
/// <param name="TrainEsr">ESR (a fraction) on the pre-filtered training frames beyond the overlap.</param>
/// <param name="TrainGainOnlyEsr">ESR (a fraction) of the best constant gain on the same frames.</param>
/// <param name="HoldoutEsr">ESR (a fraction) on the held-out part (null without a hold-out).</param>
/// <param name="HoldoutGainOnlyEsr">ESR (a fraction) of the best constant gain on the held-out part.</param>
/// <param name="Seconds">Wall time of the fit (s).</param>
/// <param name="Directory">The run directory.</param>
/// <param name="Run">The run's params.json.</param>
public sealed record ModelScore(ModelKind Model, int Parameters, double TrainEsr, double? TrainGainOnlyEsr, double? HoldoutEsr,
    double? HoldoutGainOnlyEsr, double Seconds, string Directory, RunParameters Run);
