using System.Runtime.Intrinsics;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>The comparison metrics of docs/model.md §8 for one prediction against its target.</summary>
/// <param name="Esr">ESR of the pre-filtered signals over the common length.</param>
/// <param name="LdrPrediction">LDR of the pre-filtered prediction.</param>
/// <param name="LdrTarget">LDR of the pre-filtered target.</param>
/// <param name="Samples">Samples compared (per channel).</param>
public readonly record struct ComparisonResult(double Esr, double LdrPrediction, double LdrTarget, long Samples)
{
    /// <summary>ΔLDR = LDR(prediction) − LDR(target).</summary>
    public double DeltaLdr => LdrPrediction - LdrTarget;
}

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

/// <summary>
/// Compares a rendered file with its target (docs/model.md §8): both read block by block, pre-filtered, trimmed to
/// the common length; ESR and ΔLDR. Channels are compared channel by channel and pooled.
/// </summary>
public static class Comparison
{
    /// <summary>Compares two files.</summary>
    public static ComparisonResult Compare(string predictionPath, string targetPath, CancellationToken cancel = default)
    {
        using var pr = new WavStreamReader(predictionPath);
        using var tr = new WavStreamReader(targetPath);
        if (pr.Info.SampleRate != tr.Info.SampleRate)
            throw new InputException($"{predictionPath}: sample rate {pr.Info.SampleRate} Hz differs from the target's {tr.Info.SampleRate} Hz ({targetPath})");
        if (pr.Info.Channels != tr.Info.Channels)
            throw new InputException($"{predictionPath}: {pr.Info.Channels} channel(s) but the target ({targetPath}) has {tr.Info.Channels}");
        int ch = pr.Info.Channels, sr = pr.Info.SampleRate;
        const int block = 1 << 16;
        var pb = pr.NewBlock(block);
        var tb = tr.NewBlock(block);
        var pd = new double[block];
        var td = new double[block];
        var pf = new PreFilter[ch];
        var tf = new PreFilter[ch];
        var lp = Enumerable.Range(0, ch).Select(_ => new LdrMeter(sr)).ToArray();
        var lt = Enumerable.Range(0, ch).Select(_ => new LdrMeter(sr)).ToArray();
        double err = 0, energy = 0;
        long total = 0;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            int np = pr.Read(pb, block), nt = tr.Read(tb, block);
            int n = Math.Min(np, nt);   // the common length
            if (n <= 0) break;
            for (int c = 0; c < ch; c++)
            {
                var f = pf[c];
                var g = tf[c];
                double e2 = 0, t2 = 0;
                for (int i = 0; i < n; i++)
                {
                    double p = f.Next(pb[c][i]), t = g.Next(tb[c][i]);
                    pd[i] = p;
                    td[i] = t;
                    e2 += (p - t) * (p - t);
                    t2 += t * t;
                }
                pf[c] = f;
                tf[c] = g;
                err += e2;
                energy += t2;
                lp[c].Add(pd.AsSpan(0, n));
                lt[c].Add(td.AsSpan(0, n));
            }
            total += n;
            if (np != nt) break;
        }
        if (total == 0) throw new InputException($"{predictionPath}: nothing to compare (empty file)");
        double Pool(LdrMeter[] m) => Math.Sqrt(m.Average(x => x.Value * x.Value));
        return new ComparisonResult(energy > 0 ? err / energy : double.NaN, Pool(lp), Pool(lt), total);
    }
}
