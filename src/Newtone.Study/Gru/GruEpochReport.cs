using System.Diagnostics;

namespace Newtone.Study;

/// <summary>One finished epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Running mean of the epoch's chunk losses.</param>
/// <param name="BestLoss">Best so far.</param>
/// <param name="Improved">True when this epoch improved (a checkpoint was kept).</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="SamplesPerSecond">Training throughput (row-samples per second).</param>
public sealed record GruEpochReport(int Epoch, double Loss, double BestLoss, bool Improved, double Seconds, double SamplesPerSecond) : GruTrainingEvent;
