namespace Newtone.Dynamics;

/// <summary>
/// The compressor for multi-channel audio, streaming. Linked (the default for stereo): one gain for all
/// channels, computed from the loudest channel at each sample (<c>max_c |x_c[n]|</c>). Unlinked: every
/// channel is compressed on its own. With one channel both equal <see cref="CompressorProcessor"/>.
/// Output lags the input by <see cref="LatencySamples"/> (the look-ahead delay).
/// </summary>
public sealed class MultiChannelCompressor : IBlockProcessor
{
    private const int BlockSize = 2048;
    private readonly CompressorProcessor[]? _independent;
    private readonly CompressorCoefficients _c;
    private readonly float[] _detector = new float[BlockSize];
    private readonly double[] _gain = new double[BlockSize];
    private readonly float[][] _rings;
    private int _ringPos;
    private double _state = 1;
    private readonly double _makeUp;

    /// <summary>Creates the processor.</summary>
    public MultiChannelCompressor(CompressorCoefficients coefficients, int channels, bool linked = true, int delay = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        _c = coefficients;
        Channels = channels;
        Linked = linked;
        LatencySamples = delay;
        _makeUp = Decibels.ToAmplitude(coefficients.MakeUpDb);
        _rings = Enumerable.Range(0, channels).Select(_ => new float[delay]).ToArray();
        if (!linked) _independent = Enumerable.Range(0, channels).Select(_ => new CompressorProcessor(coefficients, delay)).ToArray();
    }

    /// <summary>Channel count.</summary>
    public int Channels { get; }

    /// <summary>True when one gain drives every channel.</summary>
    public bool Linked { get; }

    /// <summary>Output latency (samples).</summary>
    public int LatencySamples { get; }

    /// <summary>Processes <paramref name="frames"/> frames (input and output: one array per channel).</summary>
    public void Process(float[][] input, float[][] output, int frames)
    {
        if (_independent is not null)
        {
            for (int ch = 0; ch < Channels; ch++) _independent[ch].Process(input[ch].AsSpan(0, frames), output[ch].AsSpan(0, frames));
            return;
        }
        int d = LatencySamples;
        for (int start = 0; start < frames; start += BlockSize)
        {
            int n = Math.Min(BlockSize, frames - start);
            // Stereo link: the detector sees the loudest channel.
            for (int i = 0; i < n; i++)
            {
                float m = Math.Abs(input[0][start + i]);
                for (int ch = 1; ch < Channels; ch++) m = Math.Max(m, Math.Abs(input[ch][start + i]));
                _detector[i] = m;
            }
            var gain = _gain.AsSpan(0, n);
            Compressor.StaticGain(_detector.AsSpan(0, n), gain, _c.ThresholdDb, _c.Ratio);
            _state = Compressor.Smooth(gain, _state, _c.Attack, _c.Release);
            int pos = _ringPos;
            for (int ch = 0; ch < Channels; ch++)
            {
                var x = input[ch];
                var y = output[ch];
                if (d == 0)
                {
                    for (int i = 0; i < n; i++) y[start + i] = (float)(_makeUp * gain[i] * x[start + i]);
                    continue;
                }
                var ring = _rings[ch];
                pos = _ringPos;
                for (int i = 0; i < n; i++)
                {
                    float delayed = ring[pos];
                    ring[pos] = x[start + i];
                    if (++pos == d) pos = 0;
                    y[start + i] = (float)(_makeUp * gain[i] * delayed);
                }
            }
            _ringPos = pos;
        }
    }

    /// <summary>Emits the <see cref="LatencySamples"/> frames still held (gain padded with 1) and resets.</summary>
    public void Flush(float[][] output)
    {
        if (_independent is not null)
        {
            for (int ch = 0; ch < Channels; ch++) _independent[ch].Flush(output[ch].AsSpan(0, LatencySamples));
            return;
        }
        for (int ch = 0; ch < Channels; ch++)
        {
            int pos = _ringPos;
            for (int i = 0; i < LatencySamples; i++)
            {
                output[ch][i] = (float)(_makeUp * _rings[ch][pos]);
                if (++pos == LatencySamples) pos = 0;
            }
            Array.Clear(_rings[ch]);
        }
        _ringPos = 0;
        _state = 1;
    }
}
