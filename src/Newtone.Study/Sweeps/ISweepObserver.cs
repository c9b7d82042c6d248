using System.Diagnostics;

namespace Newtone.Study;

/// <summary>Receives a sweep's progress.</summary>
public interface ISweepObserver
{
    /// <summary>A level starts (its fit follows).</summary>
    void LevelStarting(La2aMode mode, int peakReduction, SignalTrainPair pair, string? warmStartFrom);

    /// <summary>A level is finished, skipped or has no recording.</summary>
    void LevelDone(SweepLevel level);

    /// <summary>The fit observer for the level being fitted.</summary>
    IFitObserver? FitObserver { get; }
}
