using System.Runtime.Intrinsics;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>
/// The loudness dynamic range of docs/model.md §8, streaming:
/// <code>
///   e[n] = max(s[n]², 1e-16);  E_s, E_l = one-pole smoothing of e with a_s = 1 − exp(−1/(sr·0.05)), a_l = 1 − exp(−1/(sr·3)), E[−1] = 0
///   l[n] = 10·(log10 E_s[n] − log10 E_l[n]);  LDR = sqrt(mean(l²))
/// </code>
/// </summary>
public sealed class LdrMeter
{
    private readonly double _as, _al;
    private double _es, _el, _sum;
    private long _n;
    private double[] _bs = [], _bl = [];

    /// <summary>Creates the meter for a sample rate.</summary>
    public LdrMeter(double sampleRate)
    {
        _as = -double.ExpM1(-1 / (sampleRate * 0.05));
        _al = -double.ExpM1(-1 / (sampleRate * 3));
    }

    /// <summary>Adds samples.</summary>
    public void Add(ReadOnlySpan<double> s)
    {
        int n = s.Length;
        if (_bs.Length < n) { _bs = new double[n]; _bl = new double[n]; }
        double es = _es, el = _el, a = _as, b = _al;
        for (int i = 0; i < n; i++)
        {
            double e = Math.Max(s[i] * s[i], 1e-16);
            es += a * (e - es);
            el += b * (e - el);
            _bs[i] = es;
            _bl[i] = el;
        }
        _es = es;
        _el = el;
        // l = (10/ln 10)·(ln E_s − ln E_l), four at a time.
        const double k = 4.3429448190325182;
        int j = 0;
        var acc = Vector256<double>.Zero;
        for (; j + 4 <= n; j += 4)
        {
            var l = VS.Create(k) * (VectorMath.Log(VS.LoadUnsafe(ref _bs[j])) - VectorMath.Log(VS.LoadUnsafe(ref _bl[j])));
            acc = VS.FusedMultiplyAdd(l, l, acc);
        }
        double sum = VS.Sum(acc);
        for (; j < n; j++)
        {
            double l = k * (Math.Log(_bs[j]) - Math.Log(_bl[j]));
            sum += l * l;
        }
        _sum += sum;
        _n += n;
    }

    /// <summary>LDR of everything added.</summary>
    public double Value => _n == 0 ? double.NaN : Math.Sqrt(_sum / _n);

    /// <summary>The LDR of a whole signal.</summary>
    public static double Of(ReadOnlySpan<double> s, double sampleRate)
    {
        var m = new LdrMeter(sampleRate);
        m.Add(s);
        return m.Value;
    }
}
