using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The compressor of docs/model.md §1 as a streaming processor for any number of interleaved channels, state
/// carried across blocks of any size, so that consecutive <see cref="Process"/> calls followed by
/// <see cref="Flush"/> produce exactly the whole-file pass. Linked (the default): one gain for every channel,
/// detected from the loudest channel at each frame (<c>max_c |x_c[n]|</c>); unlinked: every channel compressed
/// on its own. With one channel both are the mono compressor. With a look-ahead of d samples the output lags
/// the input by d frames (<see cref="LatencySamples"/>): the first d output frames are silence and
/// <see cref="Flush"/> emits the last d with the gain padded to 1, as the whole-file pass does.
/// </summary>
public sealed class CompressorProcessor : IAudioProcessor
{
    private const int BlockFrames = 2048;
    private CompressorCoefficients _c;
    private double _makeUp;
    private readonly float[] _detector;
    private readonly double[] _gain = new double[BlockFrames];
    private readonly double[] _state;               // ĝ per gain path (1 linked, C unlinked)
    private readonly DelayLine<float>[] _rings;     // per channel

    /// <summary>Prepares the processor for a model, a sample rate (Hz) and a channel count; starts at ĝ = 1.</summary>
    public CompressorProcessor(CompressorModel model, int sampleRate, int channels = 1, bool linked = true)
        : this(model.ToCoefficients(sampleRate), model.LookAheadSamples(sampleRate), sampleRate, channels, linked)
    {
        _model = model;
        _optoSettings = model.Opto;
        if (model.Opto is { } o) _opto = new OptoChain(o.ToCoefficients(sampleRate), channels, _state.Length, BlockFrames);
    }

    /// <summary>Prepares the processor from kernel coefficients and a look-ahead in samples.</summary>
    internal CompressorProcessor(CompressorCoefficients coefficients, int delay, int sampleRate, int channels = 1, bool linked = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        _c = coefficients;
        SampleRate = sampleRate;
        Channels = channels;
        Linked = linked || channels == 1;
        LatencySamples = delay;
        _makeUp = Decibels.ToAmplitude(coefficients.MakeUpDb);
        _detector = new float[BlockFrames];
        _state = new double[Linked ? 1 : channels];
        _rings = Enumerable.Range(0, channels).Select(_ => new DelayLine<float>(delay)).ToArray();
        Reset();
    }

    private CompressorModel? _model;
    private OptoChain? _opto;                       // the opto model's side chain and slow stage (docs/model.md §11); null: ff5
    private OptoSettings? _optoSettings;

    /// <summary>The model being run.</summary>
    public CompressorModel Model => _model ??= CompressorModel.FromSamples(_c.ToSettings(SampleRate), LatencySamples, SampleRate) with
    {
        Opto = _opto is null ? null : _optoSettings ??= OptoSettings.FromIndex(i => _optoValues[i]),
    };

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <inheritdoc />
    public int Channels { get; }

    /// <summary>True when one gain drives every channel.</summary>
    public bool Linked { get; }

    /// <inheritdoc />
    public int LatencySamples { get; }

    /// <summary>The current smoothed gain ĝ (linear; of channel 0 when unlinked; the mixed gain of the opto model).</summary>
    public double SmoothedGain => _opto?.Smoothed(0, _state[0]) ?? _state[0];

    /// <summary>
    /// Changes the settings while running, keeping the state (smoothed gain, look-ahead buffer): what a real-time host
    /// does when a knob moves. The look-ahead cannot change (it sets the latency). Allocates nothing.
    /// </summary>
    public void Update(CompressorSettings settings)
    {
        _c = settings.ToCoefficients(SampleRate);
        _makeUp = Decibels.ToAmplitude(settings.MakeUpDb);
        _model = null;
    }

    /// <summary>
    /// Changes the whole model while running (settings and the opto extras, docs/model.md §11), keeping the state. The
    /// look-ahead must stay the same. Allocates nothing unless the model switches from ff5 to opto; switching from opto to
    /// ff5 continues from the mixed gain, from ff5 to opto starts the slow stage at the current gain.
    /// </summary>
    public void Update(CompressorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.LookAheadSamples(SampleRate) != LatencySamples)
            throw new ArgumentException("the look-ahead cannot change while running (it sets the latency)", nameof(model));
        if (model.Opto is { } o)
        {
            var oc = o.ToCoefficients(SampleRate);
            if (_opto is null) _opto = new OptoChain(oc, Channels, _state.Length, BlockFrames, _state[0]);
            else _opto.Update(oc);
        }
        else if (_opto is not null)
        {
            for (int p = 0; p < _state.Length; p++) _state[p] = _opto.Smoothed(p, _state[p]);
            _opto = null;
        }
        _optoSettings = model.Opto;
        Update(model.Settings);
        _model = model;
    }

    /// <summary>
    /// New opto extras while running (knee dB, share, charge ms, slow release ms, emphasis), keeping the state; allocates
    /// nothing (a real-time host gliding a knob). The processor must run the opto model.
    /// </summary>
    internal void UpdateOpto(double kneeDb, double share, double chargeMs, double slowReleaseMs, double emphasis)
    {
        if (_opto is null) throw new InvalidOperationException("the processor runs the ff5 model");
        _opto.Update(OptoCoefficients.Of(kneeDb, share, chargeMs, slowReleaseMs, emphasis, SampleRate));
        (_optoValues[0], _optoValues[1], _optoValues[2], _optoValues[3], _optoValues[4]) = (kneeDb, share, chargeMs, slowReleaseMs, emphasis);
        _optoSettings = null;
        _model = null;
    }

    private readonly double[] _optoValues = new double[5];

    /// <inheritdoc />
    public void Reset()
    {
        Array.Fill(_state, 1.0);
        _opto?.Reset();
        foreach (var r in _rings) r.Reset();
    }

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        int ch = Channels;
        if (input.Length % ch != 0) throw new ArgumentException($"input holds {input.Length} samples, not whole frames of {ch} channels", nameof(input));
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        int frames = input.Length / ch;
        for (int start = 0; start < frames; start += BlockFrames)
        {
            int n = Math.Min(BlockFrames, frames - start);
            var x = input.Slice(start * ch, n * ch);
            var y = output.Slice(start * ch, n * ch);
            if (ch == 1) Path(x, y, x, 0, 1, 0);
            else if (Linked)
            {
                Span<double> gain;
                if (_opto is not null)
                {
                    // Opto: each channel pre-emphasised, then the loudest (docs/model.md §11).
                    gain = _gain.AsSpan(0, n);
                    _opto.LinkedGain(x, ch, n, gain, ref _state[0], _c);
                }
                else
                {
                    // Stereo link: the detector sees the loudest channel.
                    var det = _detector.AsSpan(0, n);
                    for (int i = 0; i < n; i++)
                    {
                        float m = Math.Abs(x[i * ch]);
                        for (int c = 1; c < ch; c++) m = Math.Max(m, Math.Abs(x[i * ch + c]));
                        det[i] = m;
                    }
                    gain = Gain(det, 0);
                }
                for (int i = 0; i < n; i++)
                {
                    double g = _makeUp * gain[i];
                    for (int c = 0; c < ch; c++)
                    {
                        float v = x[i * ch + c];
                        if (LatencySamples > 0) v = _rings[c].Push(v);
                        y[i * ch + c] = (float)(g * v);
                    }
                }
            }
            else
            {
                for (int c = 0; c < ch; c++)
                {
                    var det = _detector.AsSpan(0, n);
                    for (int i = 0; i < n; i++) det[i] = x[i * ch + c];
                    Path(x, y, det, c, ch, c);
                }
            }
        }
    }

    /// <summary>
    /// The smoothed gain ĝ[n] (linear; without make-up, not advanced by the look-ahead) for a mono detector signal, continuing
    /// from the state of gain path 0 — what a gain-reduction meter shows; for the opto model the mixed gain of
    /// docs/model.md §11. Advances the state like <see cref="Process"/> would.
    /// </summary>
    public void GainEnvelope(ReadOnlySpan<float> detector, Span<double> gain)
    {
        if (gain.Length < detector.Length) throw new ArgumentException("gain buffer too short", nameof(gain));
        for (int start = 0; start < detector.Length; start += BlockFrames)
        {
            int n = Math.Min(BlockFrames, detector.Length - start);
            Gain(detector.Slice(start, n), 0).CopyTo(gain.Slice(start, n));
        }
    }

    /// <summary>Static gain and smoothing of one detector block for gain path <paramref name="path"/>.</summary>
    private Span<double> Gain(ReadOnlySpan<float> detector, int path)
    {
        var gain = _gain.AsSpan(0, detector.Length);
        if (_opto is not null)
        {
            _opto.Gain(detector, gain, path, ref _state[path], _c);   // docs/model.md §11
            return gain;
        }
        GainComputer.Apply(detector, gain, _c.ThresholdDb, _c.Ratio);
        _state[path] = Ballistics.Smooth(gain, _state[path], _c.Attack, _c.Release);
        return gain;
    }

    /// <summary>One channel (at <paramref name="offset"/>, every <paramref name="stride"/> samples) through its own gain path.</summary>
    private void Path(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> detector, int offset, int stride, int path)
    {
        var gain = Gain(detector, path);
        int n = detector.Length;
        if (LatencySamples == 0)
        {
            int i = 0;
            if (stride == 1 && Vector256.IsHardwareAccelerated)
            {
                // y = (amp(M)·ĝ)·x, the scalar loop's operations four lanes at a time.
                var m = Vector256.Create(_makeUp);
                var xs = x.Slice(offset, n);
                var ys = y.Slice(offset, n);
                for (; i + 4 <= n; i += 4)
                {
                    var v = m * Vector256.Create(gain.Slice(i, 4)) * Vector256.WidenLower(Vector128.Create(xs.Slice(i, 4)).ToVector256Unsafe());
                    Vector128.CopyTo(Vector256.Narrow(v, v).GetLower(), ys.Slice(i, 4));
                }
            }
            for (; i < n; i++) y[i * stride + offset] = (float)(_makeUp * gain[i] * x[i * stride + offset]);
            return;
        }
        var ring = _rings[offset];
        for (int i = 0; i < n; i++) y[i * stride + offset] = (float)(_makeUp * gain[i] * ring.Push(x[i * stride + offset]));
    }

    /// <inheritdoc />
    public void Flush(Span<float> output)
    {
        int d = LatencySamples, ch = Channels;
        if (output.Length < d * ch) throw new ArgumentException("output buffer too short", nameof(output));
        Span<float> held = d <= 4096 ? stackalloc float[d] : new float[d];
        for (int c = 0; c < ch; c++)
        {
            _rings[c].Drain(held, d);
            for (int k = 0; k < d; k++) output[k * ch + c] = (float)(_makeUp * held[k]);
        }
        Reset();
    }
}
