namespace Newtone.Dsp;

/// <summary>
/// The full emulation in streaming form (docs/model.md §7): the compressor without make-up gain, then the GRU
/// make-up gain on every channel (compressor stereo-linked or not). Any block size, state kept between blocks,
/// <see cref="Reset"/> clears it; the output equals whole-file rendering. With a look-ahead the output lags by
/// <see cref="LatencySamples"/> frames, which are silence (the GRU starts on the first real sample).
/// </summary>
public sealed class CompressorGruProcessor : IAudioProcessor
{
    private readonly CompressorProcessor _compressor;
    private readonly GruStream[] _gru;
    private float[] _plane = [];
    private long _seen;

    /// <summary>Prepares the processor; the model's make-up gain is not used (the GRU is the make-up gain).</summary>
    public CompressorGruProcessor(CompressorModel model, GruModel gru, int sampleRate, int channels = 1, bool linked = true)
    {
        _compressor = new CompressorProcessor(model.WithoutMakeUp(), sampleRate, channels, linked);
        _gru = Enumerable.Range(0, channels).Select(_ => new GruStream(gru, sampleRate)).ToArray();
    }

    /// <inheritdoc />
    public int SampleRate => _compressor.SampleRate;

    /// <inheritdoc />
    public int Channels => _compressor.Channels;

    /// <inheritdoc />
    public int LatencySamples => _compressor.LatencySamples;

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        _compressor.Process(input, output);
        int frames = input.Length / Channels;
        int skip = (int)Math.Clamp(LatencySamples - _seen, 0, frames);
        Gru(output, skip, frames - skip);
        _seen += frames;
    }

    /// <summary>Runs frames [from, from + count) of interleaved <paramref name="audio"/> through each channel's GRU in place.</summary>
    private void Gru(Span<float> audio, int from, int count)
    {
        int ch = Channels;
        if (ch == 1)
        {
            var s = audio.Slice(from, count);
            _gru[0].Process(s, s);
            return;
        }
        if (_plane.Length < ch * count) _plane = new float[ch * count];
        if (ch == 2)
        {
            // Stereo: both channels' recurrences side by side (GruStream.ProcessPair).
            var left = _plane.AsSpan(0, count);
            var right = _plane.AsSpan(count, count);
            for (int i = 0; i < count; i++)
            {
                left[i] = audio[2 * (from + i)];
                right[i] = audio[2 * (from + i) + 1];
            }
            GruStream.ProcessPair(_gru[0], left, left, _gru[1], right, right);
            for (int i = 0; i < count; i++)
            {
                audio[2 * (from + i)] = left[i];
                audio[2 * (from + i) + 1] = right[i];
            }
            return;
        }
        var plane = _plane.AsSpan(0, count);
        for (int c = 0; c < ch; c++)
        {
            for (int i = 0; i < count; i++) plane[i] = audio[(from + i) * ch + c];
            _gru[c].Process(plane, plane);
            for (int i = 0; i < count; i++) audio[(from + i) * ch + c] = plane[i];
        }
    }

    /// <inheritdoc />
    public void Flush(Span<float> output)
    {
        _compressor.Flush(output);
        int keep = (int)Math.Min(LatencySamples, _seen);
        Gru(output, LatencySamples - keep, keep);
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _compressor.Reset();
        foreach (var g in _gru) g.Reset();
        _seen = 0;
    }
}
