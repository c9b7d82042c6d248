using System.Diagnostics;

namespace Newtone.Study;

/// <summary>One level of a sweep.</summary>
/// <param name="Mode">Mode.</param>
/// <param name="PeakReduction">Level.</param>
/// <param name="Directory">Its run directory.</param>
/// <param name="Parameters">The fitted parameters (null when the level had no recording).</param>
/// <param name="Pair">The training recording (null when none).</param>
/// <param name="Skipped">True when the level was already complete.</param>
/// <param name="Seconds">Wall time of this level's fit (0 when skipped).</param>
public sealed record SweepLevel(La2aMode Mode, int PeakReduction, string Directory, RunParameters? Parameters, SignalTrainPair? Pair,
    bool Skipped, double Seconds);
