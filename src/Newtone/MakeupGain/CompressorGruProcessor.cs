using Newtone.Dynamics;

namespace Newtone.MakeupGain;

/// <summary>
/// The full emulation in streaming form: the compressor without make-up gain, then the GRU make-up gain, per
/// channel (compressor stereo-linked or not). Any block size, state kept between blocks, <see cref="Reset"/>
/// clears it; the output equals whole-file rendering. With a look-ahead delay the output lags by
/// <see cref="LatencySamples"/> samples, which are silence (the GRU starts on the first real sample).
/// </summary>
public sealed class CompressorGruProcessor : IBlockProcessor
{
    private readonly GruStream[] _gru;
    private readonly CompressorCoefficients _c;
    private readonly bool _linked;
    private MultiChannelCompressor _fresh;
    private long _seen;

    /// <summary>Creates the processor (the settings' make-up gain is not used: the GRU is the make-up gain).</summary>
    public CompressorGruProcessor(CompressorSettings settings, GruModel model, int sampleRate, int channels, bool linked = true, int delay = 0)
    {
        _c = settings.WithoutMakeUp().ToCoefficients(sampleRate);
        _linked = linked;
        _fresh = new MultiChannelCompressor(_c, channels, linked, delay);
        _gru = Enumerable.Range(0, channels).Select(_ => new GruStream(model)).ToArray();
        LatencySamples = delay;
    }

    /// <summary>Output latency in samples.</summary>
    public int LatencySamples { get; }

    /// <summary>Processes <paramref name="frames"/> frames (one array per channel).</summary>
    public void Process(float[][] input, float[][] output, int frames)
    {
        _fresh.Process(input, output, frames);
        int skip = (int)Math.Clamp(LatencySamples - _seen, 0, frames);
        for (int c = 0; c < _gru.Length; c++)
            _gru[c].Process(output[c].AsSpan(skip, frames - skip), output[c].AsSpan(skip, frames - skip));
        _seen += frames;
    }

    /// <summary>Emits the look-ahead tail (gain padded to 1) through the GRU, then resets.</summary>
    public void Flush(float[][] output)
    {
        _fresh.Flush(output);
        int keep = (int)Math.Min(LatencySamples, _seen);
        int from = LatencySamples - keep;
        for (int c = 0; c < _gru.Length; c++) _gru[c].Process(output[c].AsSpan(from, keep), output[c].AsSpan(from, keep));
        Reset();
    }

    /// <summary>Back to the initial state.</summary>
    public void Reset()
    {
        _fresh = new MultiChannelCompressor(_c, _gru.Length, _linked, LatencySamples);
        foreach (var g in _gru) g.Reset();
        _seen = 0;
    }
}
