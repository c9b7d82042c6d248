using NAudio.Wave;

namespace Newtone.Tests;

/// <summary>
/// The one processor lifecycle (issue 8): every processor — compressor mono and multi-channel, linked and not,
/// with and without look-ahead, the GRU stream and compressor + GRU — gives the whole-buffer result for blocks of
/// any length including 0 and 1, in place or not; Reset restarts it; the NAudio adapter equals file rendering.
/// </summary>
public class ProcessorLifecycleTests
{
    private const int Sr = 44100;

    private static GruModel Gru(ulong seed)
    {
        var rng = new Rng(seed);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = 0.5 * rng.Uniform(-0.6, 0.6);
        return new GruModel(p);
    }

    public static TheoryData<string, int, bool, int> Cases() => new()
    {
        { "compressor", 1, true, 0 }, { "compressor", 1, true, 37 }, { "compressor", 2, true, 0 }, { "compressor", 2, false, 19 },
        { "compressor", 3, true, 5 }, { "gru", 1, true, 0 }, { "compressor+gru", 2, true, 11 }, { "compressor+gru", 1, false, 0 },
    };

    private static IAudioProcessor Make(string kind, int channels, bool linked, int delay)
    {
        var model = CompressorModel.FromSamples(PublishedSettings.At(La2aMode.Compress, 85), delay, Sr);
        return kind switch
        {
            "compressor" => new CompressorProcessor(model, Sr, channels, linked),
            "gru" => new GruStream(Gru(3), Sr),
            _ => new CompressorGruProcessor(model, Gru(4), Sr, channels, linked),
        };
    }

    private static float[] Signal(int channels, int frames)
    {
        var chans = Enumerable.Range(0, channels).Select(c => MusicGenerator.Generate(frames / (double)Sr + 0.01, Sr, 50 + (ulong)c)[..frames]
            .Select(v => v * (float)Math.Pow(0.5, c)).ToArray()).ToArray();
        return TestSignals.Interleave(chans);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BlocksOfAnyLengthIncludingZeroAndOneEqualOneBlock(string kind, int channels, bool linked, int delay)
    {
        int frames = 6000;
        var x = Signal(channels, frames);
        var whole = Make(kind, channels, linked, delay);
        var expected = new float[x.Length + whole.LatencySamples * channels];
        whole.Process(x, expected);
        whole.Flush(expected.AsSpan(x.Length));

        var streamed = Make(kind, channels, linked, delay);
        Assert.Equal(whole.LatencySamples, streamed.LatencySamples);
        var got = new List<float>();
        int[] sizes = [0, 1, 1, 0, 2, 37, 1, 4096, 0, 513];
        int pos = 0, k = 0;
        while (pos < frames)
        {
            int n = Math.Min(sizes[k++ % sizes.Length], frames - pos);
            var block = x.AsSpan(pos * channels, n * channels).ToArray();
            if (k % 2 == 0) streamed.Process(block, block);   // in place every other block
            else
            {
                var o = new float[block.Length];
                streamed.Process(block, o);
                block = o;
            }
            got.AddRange(block);
            pos += n;
        }
        var tail = new float[streamed.LatencySamples * channels];
        streamed.Flush(tail);
        got.AddRange(tail);
        Assert.Equal(expected, got.ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResetRestartsFromTheInitialState(string kind, int channels, bool linked, int delay)
    {
        var x = Signal(channels, 3000);
        var p = Make(kind, channels, linked, delay);
        var a = new float[x.Length];
        var b = new float[x.Length];
        p.Process(x, a);
        p.Reset();
        p.Process(x, b);
        Assert.Equal(a, b);
        Assert.Equal(Sr, p.SampleRate);
        Assert.Equal(kind == "gru" ? 1 : channels, p.Channels);
    }

    [Fact]
    public void APartialFrameIsRefused()
    {
        var p = new CompressorProcessor(new CompressorModel(PublishedSettings.At(La2aMode.Limit, 60)), Sr, 2);
        Assert.Throws<ArgumentException>(() => p.Process(new float[3], new float[3]));
    }

    /// <summary>An NAudio source over an interleaved array, read in odd-sized pieces.</summary>
    private sealed class ArraySource(float[] data, int channels) : ISampleProvider
    {
        private int _pos;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(Sr, channels);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, 777 * channels), data.Length - _pos);
            data.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public void TheNAudioAdapterEqualsFileRendering(int delay)
    {
        using var dir = new TempDir();
        var x = Signal(2, 20000);
        var model = CompressorModel.FromSamples(PublishedSettings.At(La2aMode.Compress, 55), delay, Sr);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(TestSignals.Deinterleave(x, 2), Sr));
        FileRenderer.Render(dir["in.wav"], dir["out.wav"], model);
        var expected = TestSignals.Interleave(WavFile.Read(dir["out.wav"]).Channels);

        var provider = new ProcessorSampleProvider(new ArraySource(x, 2), (rate, ch) => new CompressorProcessor(model, rate, ch), compensateLatency: true);
        var got = new List<float>();
        var buf = new float[1000];
        int n;
        while ((n = provider.Read(buf.AsSpan())) > 0) got.AddRange(buf.AsSpan(0, n).ToArray());
        Assert.Equal(expected, got.ToArray());

        // Without compensation it behaves as a real-time chain: delayed by the latency, same length as the source.
        var live = new ProcessorSampleProvider(new ArraySource(x, 2), (rate, ch) => new CompressorProcessor(model, rate, ch));
        var lagged = new List<float>();
        while ((n = live.Read(buf.AsSpan())) > 0) lagged.AddRange(buf.AsSpan(0, n).ToArray());
        Assert.Equal(x.Length, lagged.Count);
        Assert.Equal(expected.AsSpan(0, x.Length - 2 * delay).ToArray(), lagged.Skip(2 * delay).ToArray());
    }
}
