namespace Newtone.Dynamics;

/// <summary>
/// The compressor of SPEC §1 in streaming form: state carried across blocks of any size,
/// so that consecutive <see cref="Process"/> calls followed by <see cref="Flush"/> produce
/// exactly the whole-file pass. With a look-ahead <c>delay</c> of d samples the output lags the
/// input by d samples (<see cref="LatencySamples"/>): the first d output samples are silence,
/// and <see cref="Flush"/> emits the last d (with the gain padded to 1, as in the whole-file pass).
/// </summary>
public sealed class CompressorProcessor
{
    private const int BlockSize = 2048;
    private readonly double[] _gain = new double[BlockSize];
    private readonly float[] _ring;
    private int _ringPos;
    private double _state = 1.0;
    private readonly double _makeUp;

    /// <summary>Creates a processor at its initial state (ĝ = 1).</summary>
    public CompressorProcessor(CompressorCoefficients coefficients, int delay = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        Coefficients = coefficients;
        _ring = new float[delay];
        _makeUp = Decibels.ToAmplitude(coefficients.MakeUpDb);
    }

    /// <summary>The coefficients in use.</summary>
    public CompressorCoefficients Coefficients { get; }

    /// <summary>Output latency in samples (the look-ahead delay d).</summary>
    public int LatencySamples => _ring.Length;

    /// <summary>The current smoothed gain ĝ (1 at the start).</summary>
    public double SmoothedGain => _state;

    /// <summary>Back to the initial state: ĝ = 1, empty look-ahead buffer.</summary>
    public void Reset()
    {
        _state = 1.0;
        _ringPos = 0;
        Array.Clear(_ring);
    }

    /// <summary>Processes one block; <paramref name="output"/> receives as many samples as <paramref name="input"/> holds.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        var c = Coefficients;
        while (!input.IsEmpty)
        {
            int n = Math.Min(BlockSize, input.Length);
            var gain = _gain.AsSpan(0, n);
            Compressor.StaticGain(input[..n], gain, c.ThresholdDb, c.Ratio);
            _state = Compressor.Smooth(gain, _state, c.Attack, c.Release);
            if (_ring.Length == 0)
            {
                for (int i = 0; i < n; i++) output[i] = (float)(_makeUp * gain[i] * input[i]);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    float delayed = _ring[_ringPos];
                    _ring[_ringPos] = input[i];
                    if (++_ringPos == _ring.Length) _ringPos = 0;
                    output[i] = (float)(_makeUp * gain[i] * delayed);
                }
            }
            input = input[n..];
            output = output[n..];
        }
    }

    /// <summary>
    /// Emits the <see cref="LatencySamples"/> samples still held in the look-ahead buffer, with the
    /// gain padded to 1 as the whole-file pass does; the processor is then reset.
    /// </summary>
    public void Flush(Span<float> output)
    {
        if (output.Length < _ring.Length) throw new ArgumentException("output buffer too short", nameof(output));
        for (int i = 0; i < _ring.Length; i++)
        {
            output[i] = (float)(_makeUp * _ring[_ringPos]);
            if (++_ringPos == _ring.Length) _ringPos = 0;
        }
        Reset();
    }

    /// <summary>
    /// Processes a whole buffer with the latency removed: <c>output[n] = amp(M)·ĝ[n+d]·input[n]</c>.
    /// Continues from the current state; the processor is reset afterwards.
    /// </summary>
    public void ProcessAligned(ReadOnlySpan<float> input, Span<float> output)
    {
        int d = _ring.Length;
        if (d == 0)
        {
            Process(input, output);
            return;
        }
        if (input.Length <= d)
        {
            // Nothing reaches the output through the look-ahead: gain padded with 1.
            for (int i = 0; i < input.Length; i++) output[i] = (float)(_makeUp * input[i]);
            Reset();
            return;
        }
        // Feed the first d samples (their output is latency, discarded), then the rest lands aligned.
        Span<float> scratch = d <= 4096 ? stackalloc float[d] : new float[d];
        Process(input[..d], scratch);
        Process(input[d..], output);
        Flush(output.Slice(input.Length - d, d));
    }
}
