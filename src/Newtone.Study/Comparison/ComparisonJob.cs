namespace Newtone.Study;

/// <summary>
/// A comparison as one service (docs/model.md §8): scores every method's rendered tree against the dataset's
/// targets, merges existing scores CSVs, refuses two methods of one name, writes the computed scores in the
/// reference's layout and summarises per method and mode. Finding nothing to compare is an error that says why.
/// </summary>
public static class ComparisonJob
{
    /// <summary>Runs the comparison and writes <paramref name="output"/>.</summary>
    public static ComparisonOutcome Run(string root, IReadOnlyList<MethodSource> methods, IReadOnlyList<ScoresSource> merges, string pattern,
        double minSeconds, string output, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        if (methods.Count == 0 && merges.Count == 0) throw new ArgumentException("nothing to compare: give at least one method");
        PathGuard.OutputIsNotInput(output, merges.Select(m => m.Path).ToArray());
        var merged = new List<ScoreRow>();
        foreach (var m in merges)
            merged.AddRange(m.Name is null ? ScoresCsv.Read(m.Path) : ScoresCsv.Read(m.Path).Select(r => r with { Method = m.Name }));
        var names = methods.Select(m => m.Name).Concat(merged.Select(r => r.Method).Distinct()).ToList();
        var twice = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
            throw new InputException($"method name{(twice.Count > 1 ? "s" : "")} {string.Join(", ", twice.Select(n => $"'{n}'"))} given twice (a folder and a scores CSV, or two folders); give each method its own name");

        var index = SignalTrainIndex.Scan(root);
        var run = MethodComparison.Run(index, methods, pattern, minSeconds, progress, cancel: cancel);
        if (methods.Count > 0 && run.Rows.Count == 0)
        {
            string why = run.Targets == 0
                ? FormattableString.Invariant($"no target whose name contains '{pattern}' is longer than {minSeconds:G} s ({index.Pairs.Count} targets in all)")
                : $"none of the methods has a file for the {run.Targets} matching target(s), e.g. {Path.Combine(methods[0].Directory, index.Pairs.First(p => p.RelativePath.Contains(pattern, StringComparison.Ordinal)).RelativePath)}";
            throw new InputException($"{root}: nothing to compare: {why}");
        }
        AtomicFile.WriteText(output, ScoresCsv.Write(run.Rows));
        var summary = MethodComparison.Summary(run.Rows.Concat(merged))
            .Select(s => new MethodSummary(s.Method, s.Mode, s.Count, s.Esr, s.Ldr)).ToList();
        return new ComparisonOutcome(run, merged, summary, output, index.Problems);
    }
}
