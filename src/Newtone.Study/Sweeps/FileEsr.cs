
namespace Newtone.Study;

/// <summary>
/// ESR of compressor settings on a whole recording (docs/model.md §6 "GT"): the compressor runs over the entire
/// input in one pass (no framing; each channel on its own, as in training), prediction and target are
/// pre-filtered, and <c>Σ(P[y] − P[t])² / Σ P[t]²</c> is taken over the whole file. Several settings
/// share one streaming read of the two files.
/// </summary>
public static class FileEsr
{
    /// <summary>ESR (a fraction) of each model (ff5 or opto) on the pair; the models must share one look-ahead.</summary>
    public static double[] Compute(string inputPath, string targetPath, IReadOnlyList<CompressorModel> models, CancellationToken cancel = default)
    {
        if (models.Count == 0) return [];
        if (models.Any(m => m.LookAheadMs != models[0].LookAheadMs)) throw new ArgumentException("the models differ in look-ahead", nameof(models));
        using var input = new WavStreamReader(inputPath);
        using var target = new WavStreamReader(targetPath);
        if (input.Info.SampleRate != target.Info.SampleRate)
            throw new InputException($"{targetPath}: sample rate {target.Info.SampleRate} Hz differs from the input's {input.Info.SampleRate} Hz ({inputPath})");
        if (input.Info.Channels != target.Info.Channels || input.Info.Frames != target.Info.Frames)
            throw new InputException($"{targetPath}: {target.Info.Channels} ch × {target.Info.Frames} samples, but the input ({inputPath}) has {input.Info.Channels} ch × {input.Info.Frames}");
        int ch = input.Info.Channels, sr = input.Info.SampleRate;
        int delay = models[0].LookAheadSamples(sr);
        const int block = 1 << 16;
        // ff5 models in groups of four (one per SIMD lane), opto models one by one through their processor; each
        // channel on its own.
        var ff5 = Enumerable.Range(0, models.Count).Where(i => models[i].Opto is null).ToArray();
        var opto = Enumerable.Range(0, models.Count).Where(i => models[i].Opto is not null).ToArray();
        var groups = ff5.Chunk(4).Select(g => Enumerable.Range(0, ch)
            .Select(_ => new EsrAccumulator(g.Select(i => models[i].Settings).ToList(), sr, delay)).ToArray()).ToArray();
        var singles = opto.Select(i => Enumerable.Range(0, ch).Select(_ => new ModelEsrAccumulator(models[i], sr)).ToArray()).ToArray();
        var x = input.NewBlock(block);
        var t = target.NewBlock(block);
        int n;
        while ((n = input.Read(x, block)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            if (target.Read(t, n) != n) throw new InputException($"{targetPath}: ended before its input");
            foreach (var group in groups)
                for (int c = 0; c < ch; c++) group[c].Process(x[c].AsSpan(0, n), t[c].AsSpan(0, n));
            foreach (var single in singles)
                for (int c = 0; c < ch; c++) single[c].Process(x[c].AsSpan(0, n), t[c].AsSpan(0, n));
        }
        // Every accumulator of a channel sees the same target: its energy is taken from the first one.
        var err = new double[models.Count];
        double energy = 0;
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var members = ff5.Skip(4 * gi).Take(4).ToArray();
            for (int c = 0; c < ch; c++)
            {
                var (e, en) = groups[gi][c].Finish();
                for (int k = 0; k < members.Length; k++) err[members[k]] += e[k];
                if (gi == 0) energy += en;
            }
        }
        for (int si = 0; si < singles.Length; si++)
        {
            for (int c = 0; c < ch; c++)
            {
                var (e, en) = singles[si][c].Finish();
                err[opto[si]] += e;
                if (si == 0 && groups.Length == 0) energy += en;
            }
        }
        if (!(energy > 0)) throw new InputException($"{targetPath}: the target is silent after pre-filtering");
        return err.Select(e => e / energy).ToArray();
    }

}
