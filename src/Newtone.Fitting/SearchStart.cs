
namespace Newtone.Fitting;

/// <summary>One Newton start of the global stage.</summary>
/// <param name="Label">"initial point", "warm start" or "candidate #k".</param>
/// <param name="Start">Starting parameters.</param>
/// <param name="End">Parameters reached.</param>
/// <param name="StageLoss">Loss reached on the stage's audio.</param>
/// <param name="FullLoss">Loss on the full training set (NaN when not evaluated).</param>
/// <param name="Iterations">Newton iterations.</param>
public sealed record SearchStart(string Label, CompressorSettings Start, CompressorSettings End, double StageLoss, double FullLoss, int Iterations)
{
    /// <summary>The opto extras of <see cref="Start"/> (docs/model.md §11), or null in an ff5 fit.</summary>
    public OptoSettings? StartOpto { get; init; }

    /// <summary>The opto extras of <see cref="End"/>, or null in an ff5 fit.</summary>
    public OptoSettings? EndOpto { get; init; }
}
