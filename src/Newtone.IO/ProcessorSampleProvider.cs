using NAudio.Wave;

namespace Newtone.IO;

/// <summary>
/// An NAudio <see cref="ISampleProvider"/> that runs its source through a Newtone <see cref="IAudioProcessor"/>
/// (the compressor, the GRU, or both), so the emulation sits in an NAudio chain:
/// <code>
///   var la2a = new ProcessorSampleProvider(reader, (rate, channels) => new CompressorProcessor(La2aPresets.Published(La2aMode.Compress).At(60), rate, channels));
///   WaveFileWriter.CreateWaveFile16("out.wav", la2a);
/// </code>
/// The output lags the source by the processor's <see cref="IAudioProcessor.LatencySamples"/>, as in any real-time
/// chain; with <c>compensateLatency</c> the first frames are dropped and the held tail is emitted at the end, so the
/// output lines up with the source sample for sample.
/// </summary>
public sealed class ProcessorSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly bool _compensate;
    private long _toSkip;
    private float[]? _tail;
    private int _tailPos;

    /// <summary>Wraps <paramref name="source"/>; <paramref name="prepare"/> builds the processor for the source's sample rate (Hz) and channel count.</summary>
    public ProcessorSampleProvider(ISampleProvider source, Func<int, int, IAudioProcessor> prepare, bool compensateLatency = false)
    {
        _source = source;
        var f = source.WaveFormat;
        Processor = prepare(f.SampleRate, f.Channels);
        if (Processor.SampleRate != f.SampleRate || Processor.Channels != f.Channels)
            throw new ArgumentException($"the processor is prepared for {Processor.Channels} ch at {Processor.SampleRate} Hz, the source is {f.Channels} ch at {f.SampleRate} Hz");
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(f.SampleRate, f.Channels);
        _compensate = compensateLatency;
        _toSkip = compensateLatency ? Processor.LatencySamples : 0;
    }

    /// <summary>The processor in use.</summary>
    public IAudioProcessor Processor { get; }

    /// <inheritdoc />
    public WaveFormat WaveFormat { get; }

    /// <inheritdoc />
    public int Read(Span<float> buffer)
    {
        int ch = WaveFormat.Channels;
        buffer = buffer[..(buffer.Length - buffer.Length % ch)];
        if (_tail is not null) return ReadTail(buffer);
        int written = 0;
        while (written < buffer.Length)
        {
            var block = buffer[written..];
            int n = _source.Read(block);
            n -= n % ch;
            if (n <= 0)
            {
                if (!_compensate || Processor.LatencySamples == 0) break;
                _tail = new float[Processor.LatencySamples * ch];
                Processor.Flush(_tail);
                long held = Processor.LatencySamples - _toSkip;     // a source shorter than the latency: only its own length
                _tailPos = (int)((Processor.LatencySamples - held) * ch);
                return written + ReadTail(block);
            }
            block = block[..n];
            Processor.Process(block, block);
            int drop = (int)Math.Min(_toSkip, n / ch) * ch;
            if (drop > 0)
            {
                _toSkip -= drop / ch;
                block[drop..].CopyTo(block);
                n -= drop;
            }
            written += n;
        }
        return written;
    }

    private int ReadTail(Span<float> buffer)
    {
        int n = Math.Min(buffer.Length, _tail!.Length - _tailPos);
        _tail.AsSpan(_tailPos, n).CopyTo(buffer);
        _tailPos += n;
        return n;
    }
}
