namespace Newtone.IO;

/// <summary>Multi-channel audio held as one float array per channel.</summary>
public sealed class AudioBuffer
{
    /// <summary>Wraps channel arrays (all of the same length).</summary>
    public AudioBuffer(float[][] channels, int sampleRate)
    {
        if (channels.Length == 0) throw new ArgumentException("audio needs at least one channel", nameof(channels));
        if (channels.Any(c => c.Length != channels[0].Length)) throw new ArgumentException("channels differ in length", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Channels = channels;
        SampleRate = sampleRate;
    }

    /// <summary>Mono audio.</summary>
    public AudioBuffer(float[] mono, int sampleRate) : this([mono], sampleRate) { }

    /// <summary>The samples, channel by channel.</summary>
    public float[][] Channels { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => Channels.Length;

    /// <summary>Frames (samples per channel).</summary>
    public int Length => Channels[0].Length;

    /// <summary>Duration in seconds.</summary>
    public double Seconds => (double)Length / SampleRate;

    /// <summary>A copy of the frames in [start, end).</summary>
    public AudioBuffer Slice(int start, int end) =>
        new(Channels.Select(c => c.AsSpan(start, end - start).ToArray()).ToArray(), SampleRate);
}
