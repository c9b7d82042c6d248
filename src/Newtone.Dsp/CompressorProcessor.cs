using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly float[] _delayed;              // a channel's block through its look-ahead ring
    private readonly double[] _gain = new double[BlockFrames];
    private readonly double[] _staging = GC.AllocateArray<double>(StagingLength, pinned: true);   // the pipelined pass's rows
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
        _delayed = new float[delay > 0 ? BlockFrames : 0];
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
                    int i = ch == 2 ? LoudestOfPairs(x, det) : 0;
                    for (; i < n; i++)
                    {
                        float m = Math.Abs(x[i * ch]);
                        for (int c = 1; c < ch; c++) m = Math.Max(m, Math.Abs(x[i * ch + c]));
                        det[i] = m;
                    }
                    gain = Gain(det, 0);
                }
                int f = ch == 2 && LatencySamples == 0 ? ApplyToPairs(x, y, gain) : 0;
                for (; f < n; f++)
                {
                    double g = _makeUp * gain[f];
                    for (int c = 0; c < ch; c++)
                    {
                        float v = x[f * ch + c];
                        if (LatencySamples > 0) v = _rings[c].Push(v);
                        y[f * ch + c] = (float)(g * v);
                    }
                }
            }
            else
            {
                for (int c = 0; c < ch; c++)
                {
                    var det = _detector.AsSpan(0, n);
                    int i = ch == 2 ? ChannelOfPairs(x, c, det) : 0;
                    for (; i < n; i++) det[i] = x[i * ch + c];
                    Path(x, y, det, c, ch, c);
                }
            }
        }
    }

    /// <summary>
    /// <c>max(|L|, |R|)</c> of interleaved stereo frames into <paramref name="detector"/>, four frames at a time (the scalar
    /// loop's Math.Max per lane); returns the frames done.
    /// </summary>
    private static int LoudestOfPairs(ReadOnlySpan<float> x, Span<float> detector)
    {
        int i = 0;
        if (!Vector256.IsHardwareAccelerated) return 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(detector);
        for (; i + 4 <= detector.Length; i += 4)
        {
            var a = Vector256.Abs(Vector256.LoadUnsafe(ref px, (nuint)(2 * i)));
            var m = Vector256.Max(a, Vector256.Shuffle(a, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
            Vector256.Shuffle(m, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)).GetLower().StoreUnsafe(ref pd, (nuint)i);
        }
        return i;
    }

    /// <summary>Channel <paramref name="channel"/> of interleaved stereo frames into <paramref name="samples"/>, four frames at a time; returns the frames done.</summary>
    private static int ChannelOfPairs(ReadOnlySpan<float> x, int channel, Span<float> samples)
    {
        int i = 0;
        if (!Vector256.IsHardwareAccelerated) return 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ps = ref MemoryMarshal.GetReference(samples);
        if (channel == 0)
        {
            for (; i + 4 <= samples.Length; i += 4)
                Vector256.Shuffle(Vector256.LoadUnsafe(ref px, (nuint)(2 * i)), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)).GetLower().StoreUnsafe(ref ps, (nuint)i);
        }
        else
        {
            for (; i + 4 <= samples.Length; i += 4)
                Vector256.Shuffle(Vector256.LoadUnsafe(ref px, (nuint)(2 * i)), Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7)).GetLower().StoreUnsafe(ref ps, (nuint)i);
        }
        return i;
    }

    /// <summary>
    /// <c>y = (amp(M)·ĝ)·x</c> on interleaved stereo frames without look-ahead, two frames at a time (the scalar loop's
    /// operations per lane); returns the frames done.
    /// </summary>
    private int ApplyToPairs(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<double> gain)
    {
        int i = 0;
        if (!Vector256.IsHardwareAccelerated) return 0;
        var m = Vector128.Create(_makeUp);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref double pg = ref MemoryMarshal.GetReference(gain);
        for (; i + 2 <= gain.Length; i += 2)
        {
            var g = m * Vector128.LoadUnsafe(ref pg, (nuint)i);
            var gg = Vector256.Create(g, g);
            gg = Vector256.Shuffle(gg, Vector256.Create(0L, 0, 1, 1));
            var v = gg * Vector256.WidenLower(Vector128.LoadUnsafe(ref px, (nuint)(2 * i)).ToVector256Unsafe());
            Vector256.Narrow(v, v).GetLower().StoreUnsafe(ref py, (nuint)(2 * i));
        }
        return i;
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
        _state[path] = StaticGainSmoothed(detector, gain, _state[path], _c, _staging);
        return gain;
    }

    /// <summary>
    /// The static curve of <see cref="GainComputer"/> and the smoothing step of <see cref="Ballistics"/> over one detector
    /// block in one pass (docs/model.md §1: <c>g = amp(min(0, S·(T − xl), Se·(ET − xl)))</c>, then <c>ĝ = ĝ + α(g − ĝ)</c>),
    /// from ĝ = <paramref name="state"/>; the smoothed gain goes into <paramref name="gain"/> and the last ĝ is returned.
    /// <para>
    /// Software-pipelined in chunks of eight samples, three chunks in flight: while the eight serial steps of chunk k run
    /// (latency-bound: one multiply-add and a select each), the vector curve's exponential stage handles chunk k + 1 (g, and
    /// αa·g, αr·g, which do not depend on ĝ) and its logarithm stage chunk k + 2 (ln g). Splitting the curve in two halves
    /// the time an instruction waits for its inputs, so that the out-of-order window holds enough independent work to hide
    /// the curve under the recursion instead of running it as a pass of its own.
    /// </para>
    /// <para>
    /// A chunk whose eight levels all lie between the expander threshold and the threshold has ln g = 0 and g = 1 exactly
    /// (<see cref="GainComputer.UnityBand"/>), and so does any chunk whose computed ln g is ±0: those skip the logarithm or
    /// the exponential. Below the threshold, most of music, the pass costs little more than the recursion.
    /// </para>
    /// Whole chunks use the vector curve and a tail of fewer than eight samples the scalar one, as
    /// <see cref="GainComputer.Apply"/> and <see cref="OptoDetector.Apply"/> do (the neutral opto model reproduces this bit for
    /// bit, docs/model.md §11).
    /// </summary>
    private static double StaticGainSmoothed(ReadOnlySpan<float> detector, Span<double> gain, double state, in CompressorCoefficients c, Span<double> staging)
    {
        if (gain.Length < detector.Length) throw new ArgumentException("gain buffer too short", nameof(gain));
        double slope = 1.0 - 1.0 / c.Ratio;
        double kT = Decibels.NepersPerDecibel * c.ThresholdDb;
        int n = detector.Length;
        int whole = n & ~(Chunk - 1);
        double s = state;
        GainComputer.UnityBand(c.ThresholdDb, c.Ratio, out double low, out double high);
        var band = new Band(low, high, kT, slope, c.Attack, c.Release);
        if (whole > 0 && Vector512.IsHardwareAccelerated)
            s = Pipelined(new Curve512(band), ref MemoryMarshal.GetReference(detector), ref MemoryMarshal.GetReference(gain), whole, s, band, staging);
        else if (whole > 0 && Vector256.IsHardwareAccelerated)
            s = Pipelined(new Curve256(band), ref MemoryMarshal.GetReference(detector), ref MemoryMarshal.GetReference(gain), whole, s, band, staging);
        else whole = 0;
        if (whole == n) return s;
        // The tail (the whole block without vectors): the scalar curve, then the smoother's block form.
        for (int i = whole; i < n; i++)
            gain[i] = Math.Exp(GainComputer.LogGain(Math.Log(Math.Max(Math.Abs((double)detector[i]), GainComputer.Floor)), kT, slope));
        return Ballistics.Smooth(gain[whole..n], s, c.Attack, c.Release);
    }

    /// <summary>Samples per chunk of the pipelined pass.</summary>
    private const int Chunk = 8;

    /// <summary>Doubles of staging the pipelined pass needs: two ln g rows and two (g, αa·g, αr·g) triples, plus alignment.</summary>
    private const int StagingLength = 2 * Chunk + 2 * 3 * Chunk + 8;

    /// <summary>The staging rows, 64-byte aligned in a pinned array (whole-vector stores and loads stay in one cache line).</summary>
    private static unsafe ref double Aligned(Span<double> staging)
    {
        ref double b = ref MemoryMarshal.GetReference(staging);
        return ref Unsafe.Add(ref b, (int)((64 - ((nint)Unsafe.AsPointer(ref b) & 63)) & 63) / sizeof(double));
    }

    /// <summary>The per-block constants of the pipelined pass: the unity band, k·T, S and the coefficients.</summary>
    private readonly record struct Band(double Low, double High, double KT, double Slope, double Attack, double Release);

    /// <summary>The two stages of the vector curve for one chunk, at one vector width.</summary>
    private interface ICurve
    {
        /// <summary>ln g of the chunk at <paramref name="x"/> into a row (0 without evaluating it inside the unity band).</summary>
        void Log(ref float x, ref double row);

        /// <summary>g = e^(ln g), αa·g and αr·g of a row of ln g into a triple (1, αa, αr without evaluating it where ln g = ±0).</summary>
        void Exp(ref double row, ref double triple);
    }

    /// <summary>
    /// The pipelined pass over <paramref name="whole"/> samples (a multiple of <see cref="Chunk"/>): iteration k stages the
    /// logarithm of chunk k + 2 and the exponential of chunk k + 1, then runs the steps of chunk k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Pipelined<TCurve>(TCurve curve, ref float x, ref double gain, int whole, double state, in Band b, Span<double> staging)
        where TCurve : struct, ICurve
    {
        ref double logs = ref Aligned(staging);                  // two rows of ln g, chunk j in row j mod 2
        ref double triples = ref Unsafe.Add(ref logs, 2 * Chunk); // two triples, chunk j in triple j mod 2
        var ka = Vector128.CreateScalar(1.0 - b.Attack);
        var kr = Vector128.CreateScalar(1.0 - b.Release);
        var g = Vector128.CreateScalar(state);
        int chunks = whole / Chunk;
        curve.Log(ref x, ref logs);
        if (chunks > 1) curve.Log(ref Unsafe.Add(ref x, Chunk), ref Unsafe.Add(ref logs, Chunk));
        curve.Exp(ref logs, ref triples);
        for (int k = 0; k < chunks; k++)
        {
            if (k + 2 < chunks) curve.Log(ref Unsafe.Add(ref x, (k + 2) * Chunk), ref Unsafe.Add(ref logs, (k & 1) * Chunk));
            if (k + 1 < chunks) curve.Exp(ref Unsafe.Add(ref logs, ((k + 1) & 1) * Chunk), ref Unsafe.Add(ref triples, ((k + 1) & 1) * 3 * Chunk));
            g = Steps(g, ref Unsafe.Add(ref triples, (k & 1) * 3 * Chunk), ref Unsafe.Add(ref gain, k * Chunk), ka, kr);
        }
        return g.ToScalar();
    }

    /// <summary>The curve's stages with eight-lane vectors.</summary>
    private readonly struct Curve512(in Band b) : ICurve
    {
        private readonly Vector512<double> _low = Vector512.Create(b.Low), _high = Vector512.Create(b.High);
        private readonly Vector512<double> _kT = Vector512.Create(b.KT), _slope = Vector512.Create(b.Slope);
        private readonly Vector512<double> _attack = Vector512.Create(b.Attack), _release = Vector512.Create(b.Release);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Log(ref float x, ref double row)
        {
            var a = Vector512.Abs(Vector512.WidenLower(Vector256.LoadUnsafe(ref x).ToVector512Unsafe()));
            if (Vector512.GreaterThanOrEqualAll(a, _low) && Vector512.LessThanOrEqualAll(a, _high)) Vector512<double>.Zero.StoreUnsafe(ref row);
            else GainComputer.LogGain(GainComputer.LogLevel(a), _kT, _slope).StoreUnsafe(ref row);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Exp(ref double row, ref double triple)
        {
            var lg = Vector512.LoadUnsafe(ref row);
            if (Vector512.EqualsAll(lg, Vector512<double>.Zero))
            {
                Vector512<double>.One.StoreUnsafe(ref triple);
                _attack.StoreUnsafe(ref triple, Chunk);
                _release.StoreUnsafe(ref triple, 2 * Chunk);
                return;
            }
            var g = VectorMath.Exp(lg);
            g.StoreUnsafe(ref triple);
            (_attack * g).StoreUnsafe(ref triple, Chunk);
            (_release * g).StoreUnsafe(ref triple, 2 * Chunk);
        }
    }

    /// <summary>The curve's stages with two four-lane vectors per chunk (the same operations per lane as <see cref="Curve512"/>).</summary>
    private readonly struct Curve256(in Band b) : ICurve
    {
        private readonly Vector256<double> _low = Vector256.Create(b.Low), _high = Vector256.Create(b.High);
        private readonly Vector256<double> _kT = Vector256.Create(b.KT), _slope = Vector256.Create(b.Slope);
        private readonly Vector256<double> _attack = Vector256.Create(b.Attack), _release = Vector256.Create(b.Release);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Log(ref float x, ref double row)
        {
            var f = Vector256.LoadUnsafe(ref x);
            var lo = Vector256.Abs(Vector256.WidenLower(f));
            var hi = Vector256.Abs(Vector256.WidenUpper(f));
            if (Vector256.GreaterThanOrEqualAll(Vector256.Min(lo, hi), _low) && Vector256.LessThanOrEqualAll(Vector256.Max(lo, hi), _high))
            {
                Vector256<double>.Zero.StoreUnsafe(ref row);
                Vector256<double>.Zero.StoreUnsafe(ref row, 4);
                return;
            }
            GainComputer.LogGain(GainComputer.LogLevel(lo), _kT, _slope).StoreUnsafe(ref row);
            GainComputer.LogGain(GainComputer.LogLevel(hi), _kT, _slope).StoreUnsafe(ref row, 4);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Exp(ref double row, ref double triple)
        {
            var lo = Vector256.LoadUnsafe(ref row);
            var hi = Vector256.LoadUnsafe(ref row, 4);
            if (Vector256.EqualsAll(lo | hi, Vector256<double>.Zero))
            {
                Vector256<double>.One.StoreUnsafe(ref triple);
                Vector256<double>.One.StoreUnsafe(ref triple, 4);
                _attack.StoreUnsafe(ref triple, Chunk);
                _attack.StoreUnsafe(ref triple, Chunk + 4);
                _release.StoreUnsafe(ref triple, 2 * Chunk);
                _release.StoreUnsafe(ref triple, 2 * Chunk + 4);
                return;
            }
            var gl = VectorMath.Exp(lo);
            var gh = VectorMath.Exp(hi);
            gl.StoreUnsafe(ref triple);
            gh.StoreUnsafe(ref triple, 4);
            (_attack * gl).StoreUnsafe(ref triple, Chunk);
            (_attack * gh).StoreUnsafe(ref triple, Chunk + 4);
            (_release * gl).StoreUnsafe(ref triple, 2 * Chunk);
            (_release * gh).StoreUnsafe(ref triple, 2 * Chunk + 4);
        }
    }

    /// <summary>The eight serial smoothing steps of one staged chunk, ĝ written to <paramref name="gain"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Steps(Vector128<double> g, ref double slot, ref double gain, Vector128<double> ka, Vector128<double> kr)
    {
        g = Step(g, ref slot, 0, ka, kr); gain = g.ToScalar();
        g = Step(g, ref slot, 1, ka, kr); Unsafe.Add(ref gain, 1) = g.ToScalar();
        g = Step(g, ref slot, 2, ka, kr); Unsafe.Add(ref gain, 2) = g.ToScalar();
        g = Step(g, ref slot, 3, ka, kr); Unsafe.Add(ref gain, 3) = g.ToScalar();
        g = Step(g, ref slot, 4, ka, kr); Unsafe.Add(ref gain, 4) = g.ToScalar();
        g = Step(g, ref slot, 5, ka, kr); Unsafe.Add(ref gain, 5) = g.ToScalar();
        g = Step(g, ref slot, 6, ka, kr); Unsafe.Add(ref gain, 6) = g.ToScalar();
        g = Step(g, ref slot, 7, ka, kr); Unsafe.Add(ref gain, 7) = g.ToScalar();
        return g;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Step(Vector128<double> g, ref double slot, int k, Vector128<double> ka, Vector128<double> kr) =>
        Ballistics.Step(g, Vector128.CreateScalarUnsafe(Unsafe.Add(ref slot, k)), Vector128.CreateScalarUnsafe(Unsafe.Add(ref slot, Chunk + k)),
            Vector128.CreateScalarUnsafe(Unsafe.Add(ref slot, 2 * Chunk + k)), ka, kr);

    /// <summary>
    /// One channel (at <paramref name="offset"/>, every <paramref name="stride"/> samples) through its own gain path;
    /// <paramref name="samples"/> holds the channel's block contiguous (<paramref name="x"/> itself when mono), the detector.
    /// </summary>
    private void Path(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> samples, int offset, int stride, int path)
    {
        var gain = Gain(samples, path);
        int n = samples.Length;
        var src = samples;
        if (LatencySamples > 0)
        {
            // The look-ahead (docs/model.md §1): the input d samples late, the gain not, the ring pushed a block at a time.
            var delayed = _delayed.AsSpan(0, n);
            _rings[offset].Push(samples, delayed);
            src = delayed;
        }
        int i = 0;
        if (stride == 1 && Vector256.IsHardwareAccelerated)
        {
            // y = (amp(M)·ĝ)·x, the scalar loop's operations four lanes at a time.
            var m = Vector256.Create(_makeUp);
            var ys = y.Slice(offset, n);
            for (; i + 4 <= n; i += 4)
            {
                var v = m * Vector256.Create(gain.Slice(i, 4)) * Vector256.WidenLower(Vector128.Create(src.Slice(i, 4)).ToVector256Unsafe());
                Vector128.CopyTo(Vector256.Narrow(v, v).GetLower(), ys.Slice(i, 4));
            }
        }
        else if (stride == 2 && Vector256.IsHardwareAccelerated)
        {
            // The same, four frames of interleaved stereo at a time: this channel's lanes replaced, the other's kept.
            var m = Vector256.Create(_makeUp);
            var mine = offset == 0 ? Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle() : Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
            ref float py = ref MemoryMarshal.GetReference(y);
            for (; i + 4 <= n; i += 4)
            {
                var v = m * Vector256.Create(gain.Slice(i, 4)) * Vector256.WidenLower(Vector128.Create(src.Slice(i, 4)).ToVector256Unsafe());
                var spread = Vector256.Shuffle(Vector256.Narrow(v, v), Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3));
                var old = Vector256.LoadUnsafe(ref py, (nuint)(2 * i));
                Vector256.ConditionalSelect(mine, spread, old).StoreUnsafe(ref py, (nuint)(2 * i));
            }
        }
        for (; i < n; i++) y[i * stride + offset] = (float)(_makeUp * gain[i] * src[i]);
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
