using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>
/// Streams one channel of an input/target pair through up to four compressor settings at once (one per
/// SIMD lane, sharing the detector's logarithm) and accumulates the whole-signal ESR of each:
/// <c>Σ(P[y_k] − P[t])² / Σ P[t]²</c> (docs/model.md §1, §2). State carries across blocks of any size.
/// </summary>
internal sealed class EsrAccumulator
{
    private const int Lanes = 4;
    private readonly int _count, _delay;
    private readonly V _kT, _s, _aA, _aR, _m;
    private V _g = V.One, _zIn = V.Zero, _zOut = V.Zero, _err = V.Zero;
    private double _tIn, _tOut, _energy;
    private readonly DelayLine<double> _ringX, _ringT;
    private long _seen;
    private double[] _lx = [], _xd = [], _td = [];

    public EsrAccumulator(IReadOnlyList<CompressorSettings> settings, double sampleRate, int delay)
    {
        if (settings.Count is < 1 or > Lanes) throw new ArgumentOutOfRangeException(nameof(settings));
        _count = settings.Count;
        _delay = delay;
        var c = Enumerable.Range(0, Lanes).Select(i => settings[Math.Min(i, _count - 1)].ToCoefficients(sampleRate)).ToArray();
        V Lane(Func<CompressorCoefficients, double> f) => VS.Create(f(c[0]), f(c[1]), f(c[2]), f(c[3]));
        _kT = Lane(q => Decibels.NepersPerDecibel * q.ThresholdDb);
        _s = Lane(q => 1 - 1 / q.Ratio);
        _aA = Lane(q => q.Attack);
        _aR = Lane(q => q.Release);
        _m = Lane(q => Decibels.ToAmplitude(q.MakeUpDb));
        _ringX = new DelayLine<double>(delay);
        _ringT = new DelayLine<double>(delay);
    }

    /// <summary>Feeds one block of input and target.</summary>
    public void Process(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        int n = x.Length;
        if (_lx.Length < n)
        {
            _lx = new double[n];
            _xd = new double[n];
            _td = new double[n];
        }
        // Widen the block to doubles and take ln max(|x|, 1e-8) (shared by every lane), four samples at a
        // time: converting floats one by one inside the main loop would chain its iterations through the
        // conversion's false register dependency.
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var xv = VS.WidenLower(Vector128.Create(x[i], x[i + 1], x[i + 2], x[i + 3]).ToVector256Unsafe());
            var tv = VS.WidenLower(Vector128.Create(t[i], t[i + 1], t[i + 2], t[i + 3]).ToVector256Unsafe());
            xv.StoreUnsafe(ref _xd[i]);
            tv.StoreUnsafe(ref _td[i]);
            GainComputer.LogLevel(xv).StoreUnsafe(ref _lx[i]);
        }
        for (; i < n; i++)
        {
            _xd[i] = x[i];
            _td[i] = t[i];
            _lx[i] = Math.Log(Math.Max(Math.Abs(_xd[i]), GainComputer.Floor));
        }
        Run(_xd.AsSpan(0, n), _td.AsSpan(0, n), tail: false);
        _seen += n;
    }

    /// <summary>
    /// The per-sample loop, state in locals (no references to them, so they stay in registers). With
    /// <paramref name="tail"/> the samples are the look-ahead tail: gain 1, no further delay.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(ReadOnlySpan<double> x, ReadOnlySpan<double> t, bool tail)
    {
        V kT = _kT, sl = _s, aA = _aA, aR = _aR, m = _m;
        V g = tail ? V.One : _g, zIn = _zIn, zOut = _zOut, err = _err;
        double tIn = _tIn, tOut = _tOut, energy = _energy;
        double[] lxs = _lx;
        int delay = tail ? 0 : _delay;
        for (int i = 0; i < x.Length; i++)
        {
            double xn = x[i], tn = t[i];
            if (!tail)
            {
                // Gain computer and smoothing (docs/model.md §1), all lanes at once.
                V lx = VS.Create(lxs[i]);
                V gs = VectorMath.Exp(GainComputer.LogGain(lx, kT, sl));
                g = Ballistics.Step(g, gs, aA, aR);
                if (delay > 0)
                {
                    // Look-ahead: the gain at j multiplies the input d samples earlier.
                    xn = _ringX.Push(xn);
                    tn = _ringT.Push(tn);
                    if (_seen + i < delay) continue;   // latency: nothing to compare yet
                }
            }
            // Pre-filter prediction and target, accumulate (docs/model.md §2).
            V p = PreFilter.Step(m * g * VS.Create(xn), ref zIn, ref zOut);
            double pt = PreFilter.Step(tn, ref tIn, ref tOut);
            energy += pt * pt;
            V e = p - VS.Create(pt);
            err = VS.FusedMultiplyAdd(e, e, err);
        }
        if (!tail) _g = g;
        _zIn = zIn; _zOut = zOut; _err = err;
        _tIn = tIn; _tOut = tOut; _energy = energy;
    }

    /// <summary>Finishes (the last d samples with the gain padded to 1) and returns each setting's error and the energy.</summary>
    public (double[] Error, double Energy) Finish()
    {
        int held = (int)Math.Min(_delay, _seen);
        if (held > 0)
        {
            var xs = new double[held];
            var ts = new double[held];
            _ringX.Drain(xs, held);
            _ringT.Drain(ts, held);
            Run(xs, ts, tail: true);
        }
        var result = new double[_count];
        for (int k = 0; k < _count; k++) result[k] = _err[k];
        return (result, _energy);
    }
}
