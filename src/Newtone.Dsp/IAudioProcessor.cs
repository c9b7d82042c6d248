namespace Newtone.Dsp;

/// <summary>
/// The one processor lifecycle of Newtone (as JUCE's <c>prepare / reset / process</c> and NAudio's providers):
/// a processor is prepared for a sample rate and a channel count once, when it is constructed; <see cref="Process"/>
/// takes interleaved frames in blocks of any length (0 and 1 included) and keeps its state between blocks;
/// <see cref="Reset"/> returns it to its initial state; <see cref="LatencySamples"/> says by how many frames the
/// output lags the input. Consecutive blocks followed by <see cref="Flush"/> equal one whole-file pass.
/// </summary>
public interface IAudioProcessor
{
    /// <summary>Sample rate (Hz) the processor was prepared for.</summary>
    int SampleRate { get; }

    /// <summary>Channels per frame (interleaved).</summary>
    int Channels { get; }

    /// <summary>Output latency in frames (the first <see cref="LatencySamples"/> output frames are silence).</summary>
    int LatencySamples { get; }

    /// <summary>Back to the initial state.</summary>
    void Reset();

    /// <summary>
    /// Processes interleaved frames: <paramref name="input"/>.Length must be a multiple of <see cref="Channels"/>;
    /// <paramref name="output"/> receives as many samples. The two spans may be the same memory (in place).
    /// </summary>
    void Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Emits the <see cref="LatencySamples"/> frames still held (interleaved, <c>LatencySamples × Channels</c>
    /// samples), ending the stream as the whole-file pass does, then resets. Does nothing when there is no latency.
    /// </summary>
    void Flush(Span<float> output);
}
