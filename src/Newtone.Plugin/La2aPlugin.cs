namespace Newtone.Plugin;

/// <summary>
/// One instance of the LV2 plugin, independent of the C ABI (the host test and the benchmark drive it directly too).
/// Real-time rules: everything is allocated in the constructor; <see cref="Run"/> allocates nothing, takes no lock and
/// does no I/O, handles any block length (0 and 1 included) in internal chunks, reads the port pointers as they are at
/// that moment (hosts may reconnect ports between runs), and glides every setting — peak reduction and mode move the
/// five compressor settings along the interpolation, not only the output — so knob moves make no zipper noise.
/// Denormal inputs are flushed to zero.
/// </summary>
public sealed unsafe class La2aPlugin
{
    private const int Chunk = 64;
    private const double GlideMs = 30, GainGlideMs = 20;

    private readonly PluginModel _model;
    private readonly SettingsInterpolation? _compress, _limit;
    private readonly CompressorProcessor _compressor;
    private readonly GruStream[]? _gru;
    private readonly float[] _buffer;
    private readonly float[] _plane = new float[Chunk], _plane2 = new float[Chunk];
    private readonly double _glide, _gainGlide;
    private readonly int _gainPort, _peakPort = -1, _modePort = -1, _gruPort = -1, _latencyPort = -1;
    private bool _primed;
    private double _peak, _mode, _gain, _makeUp;

    /// <summary>Pointers to the host's port buffers, by port index (set by connect_port).</summary>
    public float*[] Ports { get; }

    /// <summary>Prepares an instance for a sample rate (Hz) and 1 (mono) or 2 (stereo-linked) channels.</summary>
    public La2aPlugin(PluginModel model, double sampleRate, int channels)
    {
        _model = model;
        SampleRate = (int)Math.Round(sampleRate);
        Channels = channels;
        var ports = model.Ports(channels);
        Ports = new float*[ports.Count];
        foreach (var p in ports)
        {
            switch (p.Symbol)
            {
                case "gain": _gainPort = p.Index; break;
                case "peak_reduction": _peakPort = p.Index; break;
                case "mode": _modePort = p.Index; break;
                case "gru": _gruPort = p.Index; break;
                case "latency": _latencyPort = p.Index; break;
            }
        }
        // The same not-a-knot splines as newtone process (La2aPresets), used directly: evaluating them allocates nothing.
        _compress = Interpolation(model, La2aMode.Compress);
        _limit = Interpolation(model, La2aMode.Limit);
        var initial = model.Single ?? SettingsAt(60, _compress is null ? 1 : 0);
        OptoSettings? initialOpto = null;
        if (model.IsOpto)
        {
            if (model.SingleOpto is { } so) initialOpto = so;
            else
            {
                OptoAt(60, _compress is null ? 1 : 0);
                initialOpto = OptoSettings.FromIndex(i => _opto[i]);
            }
        }
        // The compressor runs without make-up gain; make-up (or the GRU, which replaces it) comes after.
        _compressor = new CompressorProcessor(new CompressorModel(initial.WithoutMakeUp(), model.LookAheadMs) { Opto = initialOpto },
            SampleRate, channels, linked: true);
        if (model.Gru is { } g) _gru = Enumerable.Range(0, channels).Select(_ => new GruStream(new GruModel(g), SampleRate)).ToArray();
        _buffer = new float[Chunk * channels];
        _glide = -double.ExpM1(-Chunk / (GlideMs * 1e-3 * sampleRate));
        _gainGlide = -double.ExpM1(-1 / (GainGlideMs * 1e-3 * sampleRate));
        Activate();
    }

    private static SettingsInterpolation? Interpolation(PluginModel model, La2aMode mode)
    {
        if (!model.Knots.TryGetValue(mode, out var k)) return null;
        var opto = model.OptoKnots.GetValueOrDefault(mode);
        return new SettingsInterpolation(k.Select((x, i) => ((double)x.PeakReduction, x.Settings, opto?[i])));
    }

    /// <summary>
    /// The opto extras at a (smoothed) peak reduction and mode into <see cref="_opto"/>, blended between the modes like the
    /// settings. Allocates nothing.
    /// </summary>
    private void OptoAt(double peak, double mode)
    {
        Span<double> b = stackalloc double[5];
        if (_compress is null) { _limit!.OptoSpline(Math.Clamp(peak, _limit.Min, _limit.Max), _opto); return; }
        _compress.OptoSpline(Math.Clamp(peak, _compress.Min, _compress.Max), _opto);
        if (_limit is null || mode <= 0) return;
        _limit.OptoSpline(Math.Clamp(peak, _limit.Min, _limit.Max), b);
        for (int i = 0; i < 5; i++) _opto[i] += mode * (b[i] - _opto[i]);
    }

    private readonly double[] _opto = new double[5];

    /// <summary>Sample rate (Hz).</summary>
    public int SampleRate { get; }

    /// <summary>1 or 2.</summary>
    public int Channels { get; }

    /// <summary>Latency in frames (the look-ahead).</summary>
    public int LatencySamples => _compressor.LatencySamples;

    /// <summary>Back to the initial state; the next run takes the controls as they are, without gliding to them.</summary>
    public void Activate()
    {
        _compressor.Reset();
        if (_gru is not null) foreach (var g in _gru) g.Reset();
        _primed = false;
    }

    private float Control(int port, float fallback) => port >= 0 && Ports[port] != null ? *Ports[port] : fallback;

    /// <summary>
    /// The settings at a (smoothed) peak reduction and mode (0 compress … 1 limit), interpolated between the modes.
    /// Allocates nothing (it runs in <see cref="Run"/> while a knob glides).
    /// </summary>
    private CompressorSettings SettingsAt(double peak, double mode)
    {
        if (_model.Single is { } one) return one;
        static CompressorSettings At(SettingsInterpolation s, double p) => s.Spline(Math.Clamp(p, s.Min, s.Max));
        if (_compress is null) return At(_limit!, peak);
        var a = At(_compress, peak);
        if (_limit is null || mode <= 0) return a;
        var b = At(_limit, peak);
        if (mode >= 1) return b;
        return new CompressorSettings(a.ThresholdDb + mode * (b.ThresholdDb - a.ThresholdDb), a.Ratio + mode * (b.Ratio - a.Ratio),
            a.AttackMs + mode * (b.AttackMs - a.AttackMs), a.ReleaseMs + mode * (b.ReleaseMs - a.ReleaseMs), a.MakeUpDb + mode * (b.MakeUpDb - a.MakeUpDb));
    }

    /// <summary>Processes <paramref name="frames"/> frames from the connected input ports to the output ports.</summary>
    public void Run(int frames)
    {
        int ch = Channels;
        double peakTarget = Control(_peakPort, 60), modeTarget = Math.Clamp(Control(_modePort, 0), 0f, 1f) >= 0.5 ? 1 : 0;
        double gainTarget = Decibels.ToAmplitude(Math.Clamp(Control(_gainPort, 0), -24f, 24f));
        bool gruOn = _gru is not null && Control(_gruPort, 1) >= 0.5f;
        if (!_primed)
        {
            (_peak, _mode, _gain) = (peakTarget, modeTarget, gainTarget);
            Apply();
            _primed = true;
        }
        if (_latencyPort >= 0 && Ports[_latencyPort] != null) *Ports[_latencyPort] = LatencySamples;
        for (int start = 0; start < frames; start += Chunk)
        {
            int n = Math.Min(Chunk, frames - start);
            // Glide the settings once per chunk (≈1.5 ms): exact when nothing moves.
            if (_peak != peakTarget || _mode != modeTarget)
            {
                _peak += _glide * (peakTarget - _peak);
                _mode += _glide * (modeTarget - _mode);
                if (Math.Abs(_peak - peakTarget) < 1e-6) _peak = peakTarget;
                if (Math.Abs(_mode - modeTarget) < 1e-6) _mode = modeTarget;
                Apply();
            }
            var buf = _buffer.AsSpan(0, n * ch);
            for (int c = 0; c < ch; c++)
            {
                float* input = Ports[c];
                if (input == null) { for (int i = 0; i < n; i++) buf[i * ch + c] = 0; continue; }
                for (int i = 0; i < n; i++)
                {
                    float v = input[start + i];
                    buf[i * ch + c] = MathF.Abs(v) < 1e-30f ? 0f : v;   // no denormals into the recursions
                }
            }
            _compressor.Process(buf, buf);
            if (gruOn && ch == 2)
            {
                // Stereo: both channels' recurrences side by side (GruStream.ProcessPair), each exactly as alone.
                for (int i = 0; i < n; i++)
                {
                    _plane[i] = buf[2 * i];
                    _plane2[i] = buf[2 * i + 1];
                }
                GruStream.ProcessPair(_gru![0], _plane.AsSpan(0, n), _plane.AsSpan(0, n), _gru[1], _plane2.AsSpan(0, n), _plane2.AsSpan(0, n));
            }
            for (int c = 0; c < ch; c++)
            {
                float* output = Ports[ch + c];
                if (output == null) continue;
                if (gruOn)
                {
                    // Mono: the chunk is already one plane; stereo: the planes the pair filled.
                    var plane = ch == 1 ? buf : (c == 0 ? _plane : _plane2).AsSpan(0, n);
                    if (ch == 1) _gru![0].Process(plane, plane);
                    double g = _gain;
                    for (int i = 0; i < n; i++)
                    {
                        g += _gainGlide * (gainTarget - g);
                        output[start + i] = (float)(g * plane[i]);
                    }
                    if (c == ch - 1) _gain = Math.Abs(g - gainTarget) < 1e-9 ? gainTarget : g;
                }
                else if (_gain == gainTarget)
                {
                    double k = _gain * _makeUp;   // at rest: one multiply per sample
                    for (int i = 0; i < n; i++) output[start + i] = (float)(k * buf[i * ch + c]);
                }
                else
                {
                    double g = _gain;
                    for (int i = 0; i < n; i++)
                    {
                        g += _gainGlide * (gainTarget - g);
                        output[start + i] = (float)(g * _makeUp * buf[i * ch + c]);
                    }
                    if (c == ch - 1) _gain = Math.Abs(g - gainTarget) < 1e-9 ? gainTarget : g;
                }
            }
        }
    }

    private void Apply()
    {
        var s = SettingsAt(_peak, _mode);
        _makeUp = Decibels.ToAmplitude(s.MakeUpDb);
        _compressor.Update(s.WithoutMakeUp());
        if (_model.IsOpto && _model.Single is null)
        {
            OptoAt(_peak, _mode);
            _compressor.UpdateOpto(_opto[0], _opto[1], _opto[2], _opto[3], _opto[4]);
        }
    }
}
