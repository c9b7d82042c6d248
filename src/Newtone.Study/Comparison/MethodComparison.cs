
namespace Newtone.Study;

/// <summary>
/// docs/model.md §8 over a dataset: for every method and every matching target (name containing the pattern and
/// longer than a minimum duration), ESR and ΔLDR of the method's file at the same relative path. Files a
/// method lacks are counted and listed, not fatal. Files are compared in parallel, each streamed.
/// </summary>
public static class MethodComparison
{
    /// <summary>Runs the comparison.</summary>
    public static ComparisonRun Run(SignalTrainIndex index, IReadOnlyList<MethodSource> methods, string pattern, double minSeconds,
        IProgress<WorkProgress>? progress = null, int maxThreads = 0, CancellationToken cancel = default)
    {
        foreach (var m in methods)
            if (!Directory.Exists(m.Directory)) throw new InputException($"{m.Directory}: folder of method {m.Name} not found");
        var targets = index.Pairs.Where(p => Path.GetFileName(p.TargetPath).Contains(pattern, StringComparison.Ordinal) && p.Seconds > minSeconds).ToList();
        var jobs = new List<(int Method, SignalTrainPair Pair, string Prediction)>();
        var missing = new List<(string, string)>();
        for (int mi = 0; mi < methods.Count; mi++)
        {
            foreach (var p in targets)
            {
                string pred = Path.Combine(methods[mi].Directory, p.RelativePath);
                if (File.Exists(pred)) jobs.Add((mi, p, pred));
                else missing.Add((methods[mi].Name, p.RelativePath));
            }
        }
        var results = new ScoreRow[jobs.Count];
        long total = jobs.Sum(j => (long)Math.Round(j.Pair.Seconds * j.Pair.SampleRate)), done = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.For(0, jobs.Count, opts, i =>
        {
            var (mi, pair, pred) = jobs[i];
            var c = Comparison.Compare(pred, pair.TargetPath, cancel);
            results[i] = new ScoreRow(methods[mi].Name, pair.Mode == La2aMode.Compress ? 0 : 1, pair.PeakReduction, c.Esr, c.DeltaLdr);
            progress?.Report(new WorkProgress(Interlocked.Add(ref done, (long)Math.Round(pair.Seconds * pair.SampleRate)), total, "frames", pred));
        });
        var ordered = results.Select((r, i) => (r, jobs[i])).OrderBy(x => x.Item2.Method).ThenBy(x => x.r.Mode).ThenBy(x => x.r.PeakValue)
            .ThenBy(x => x.Item2.Pair.RelativePath, StringComparer.Ordinal).Select(x => x.r).ToList();
        return new ComparisonRun(ordered, missing, targets.Count);
    }

    /// <summary>Mean ESR and ΔLDR per method and mode.</summary>
    public static List<(string Method, int Mode, int Count, double Esr, double Ldr)> Summary(IEnumerable<ScoreRow> rows) =>
        rows.GroupBy(r => (r.Method, r.Mode))
            .Select(g => (g.Key.Method, g.Key.Mode, g.Count(), g.Average(r => r.Esr), g.Average(r => r.Ldr)))
            .ToList();
}
