using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.Study;

/// <summary>The training options a checkpoint records (docs/model.md §7 defaults).</summary>
public sealed record GruTrainingOptions
{
    /// <summary>Epoch limit.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Stop after this many epochs without improvement.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 5e-3;

    /// <summary>Chunk length (samples) for truncated back-propagation through time.</summary>
    public int Chunk { get; init; } = 12288;

    /// <summary>Seed of the initialisation and of the per-epoch shift permutations.</summary>
    public ulong Seed { get; init; }
}
