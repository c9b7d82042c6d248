using Newtone.Audio;
using Newtone.Dynamics;

namespace Newtone.Evaluation;

/// <summary>
/// ESR of compressor settings on a whole recording (SPEC §6 "GT"): the compressor runs over the entire
/// input in one pass (no framing; each channel on its own, as in training), prediction and target are
/// pre-filtered, and <c>Σ(P[y] − P[t])² / Σ P[t]²</c> is taken over the whole file. Several settings
/// share one streaming read of the two files.
/// </summary>
public static class FileEsr
{
    /// <summary>ESR (a fraction) of each settings on the pair.</summary>
    public static double[] Compute(string inputPath, string targetPath, IReadOnlyList<CompressorSettings> settings, int delay = 0,
        CancellationToken cancel = default)
    {
        using var input = new WavStreamReader(inputPath);
        using var target = new WavStreamReader(targetPath);
        if (input.Info.SampleRate != target.Info.SampleRate)
            throw new InputException($"{targetPath}: sample rate {target.Info.SampleRate} Hz differs from the input's {input.Info.SampleRate} Hz ({inputPath})");
        if (input.Info.Channels != target.Info.Channels || input.Info.Frames != target.Info.Frames)
            throw new InputException($"{targetPath}: {target.Info.Channels} ch × {target.Info.Frames} samples, but the input ({inputPath}) has {input.Info.Channels} ch × {input.Info.Frames}");
        int ch = input.Info.Channels, sr = input.Info.SampleRate;
        const int block = 1 << 16;
        var procs = settings.Select(s => new MultiChannelCompressor(s.ToCoefficients(sr), ch, linked: false, delay)).ToArray();
        var x = Alloc(ch, block);
        var t = Alloc(ch, block);
        var y = settings.Select(_ => Alloc(ch, Math.Max(block, delay))).ToArray();
        // Prediction lags by `delay`: compare it with the target delayed as much.
        var targetDelay = Enumerable.Range(0, ch).Select(_ => new Queue<float>()).ToArray();
        var pfPred = new PreFilter[settings.Count, ch];
        var pfTarget = new PreFilter[ch];
        var err = new double[settings.Count];
        double energy = 0;
        long seen = 0;

        void Accumulate(float[][][] predictions, float[][] targets, int from, int count)
        {
            for (int c = 0; c < ch; c++)
            {
                for (int i = 0; i < count; i++)
                {
                    double pt = pfTarget[c].Next(targets[c][from + i]);
                    energy += pt * pt;
                    for (int k = 0; k < settings.Count; k++)
                    {
                        double e = pfPred[k, c].Next(predictions[k][c][i]) - pt;
                        err[k] += e * e;
                    }
                }
            }
        }

        int n;
        var aligned = Alloc(ch, Math.Max(block, delay));
        while ((n = input.Read(x, block)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            if (target.Read(t, n) != n) throw new InputException($"{targetPath}: ended before its input");
            for (int k = 0; k < procs.Length; k++) procs[k].Process(x, y[k], n);
            if (delay == 0)
            {
                Accumulate(y, t, 0, n);
            }
            else
            {
                // Predictions for samples seen − delay … ; skip the first `delay` latency outputs.
                int skip = (int)Math.Max(0, Math.Min(n, delay - seen));
                for (int c = 0; c < ch; c++)
                {
                    for (int i = 0; i < n; i++) targetDelay[c].Enqueue(t[c][i]);
                    for (int i = 0; i < n - skip; i++) aligned[c][i] = targetDelay[c].Dequeue();
                }
                if (skip > 0) foreach (var yk in y) foreach (var yc in yk) Array.Copy(yc, skip, yc, 0, n - skip);
                Accumulate(y, aligned, 0, n - skip);
            }
            seen += n;
        }
        if (delay > 0)
        {
            int keep = (int)Math.Min(delay, seen);
            for (int k = 0; k < procs.Length; k++)
            {
                procs[k].Flush(y[k]);
                if (keep < delay) foreach (var yc in y[k]) Array.Copy(yc, delay - keep, yc, 0, keep);
            }
            for (int c = 0; c < ch; c++) for (int i = 0; i < keep; i++) aligned[c][i] = targetDelay[c].Dequeue();
            Accumulate(y, aligned, 0, keep);
        }
        if (!(energy > 0)) throw new InputException($"{targetPath}: the target is silent after pre-filtering");
        return err.Select(e => e / energy).ToArray();
    }

    private static float[][] Alloc(int channels, int frames) => Enumerable.Range(0, channels).Select(_ => new float[frames]).ToArray();
}
