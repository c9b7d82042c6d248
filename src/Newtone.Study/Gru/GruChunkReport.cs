namespace Newtone.Study;

/// <summary>One chunk (one Adam step) of an epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Chunk">1-based chunk.</param>
/// <param name="Chunks">Chunks per epoch.</param>
/// <param name="Loss">This chunk's loss (pre-filtered ESR, a fraction).</param>
/// <param name="RunningMean">Mean of the epoch's chunk losses so far.</param>
public sealed record GruChunkReport(int Epoch, int Chunk, int Chunks, double Loss, double RunningMean) : GruTrainingEvent;
