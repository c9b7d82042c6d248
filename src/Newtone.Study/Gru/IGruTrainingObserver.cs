using System.Diagnostics;

namespace Newtone.Study;

/// <summary>Receives training progress.</summary>
public interface IGruTrainingObserver
{
    /// <summary>A line for the log.</summary>
    void Message(string text);

    /// <summary>After each chunk.</summary>
    void Chunk(int epoch, int chunk, int chunks, double loss, double runningMean);

    /// <summary>After each epoch.</summary>
    void Epoch(GruEpochReport report);
}
