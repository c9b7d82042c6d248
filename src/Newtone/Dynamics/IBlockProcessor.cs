namespace Newtone.Dynamics;

/// <summary>A multi-channel streaming processor with a fixed latency (what <see cref="Rendering.FileRenderer"/> runs).</summary>
public interface IBlockProcessor
{
    /// <summary>Output latency in samples.</summary>
    int LatencySamples { get; }

    /// <summary>Processes <paramref name="frames"/> frames (one array per channel).</summary>
    void Process(float[][] input, float[][] output, int frames);

    /// <summary>Emits the <see cref="LatencySamples"/> frames still held, then resets.</summary>
    void Flush(float[][] output);
}
