using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Receives a fit's progress.</summary>
public interface IFitObserver
{
    /// <summary>A line for the log.</summary>
    void Message(string text);

    /// <summary>One Newton iteration of one run.</summary>
    void Iteration(NewtonRun run, IterationRecord record);
}
