using System.Runtime.Intrinsics;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

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
