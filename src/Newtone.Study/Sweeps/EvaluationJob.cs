namespace Newtone.Study;

/// <summary>
/// The evaluation of a sweep as one service (docs/model.md §6): loads the finished runs of one mode, finds each
/// level's recording (in the dataset when one is given, else the files the runs name), checks that the runs can be
/// interpolated together, computes GT, linear and spline ESRs, writes the reference-layout CSV and, with a dataset,
/// the held-out CSV beside it.
/// </summary>
public static class EvaluationJob
{
    /// <summary>Evaluates the runs under <paramref name="runsDir"/> into <paramref name="outCsv"/>.</summary>
    public static EvaluationOutcome Run(string runsDir, string outCsv, string? datasetRoot = null, La2aMode? mode = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        var runs = RunSet.Load(runsDir, mode, out var unfinished);
        if (runs.Select(r => r.Mode).Distinct().Count() > 1)
            throw new InputException($"{runsDir}: holds runs of both modes; evaluate {Path.Combine(runsDir, "compress")} and {Path.Combine(runsDir, "limit")} separately");
        var index = datasetRoot is null ? null : SignalTrainIndex.Scan(datasetRoot);

        (string Input, string Target) PairOf(SweepRun r)
        {
            if (index is not null)
            {
                var pair = index.TrainingPair(r.Mode, r.PeakReduction)
                    ?? throw new InputException($"{index.Root}: no 3c recording of {r.Mode.Name()} {r.PeakReduction} for {r.Directory}");
                return (pair.InputPath, pair.TargetPath);
            }
            return (r.Parameters.Input ?? throw new InputException($"{r.Directory}: params.json does not name its input; evaluate with the dataset"),
                r.Parameters.Target ?? throw new InputException($"{r.Directory}: params.json does not name its target; evaluate with the dataset"));
        }

        SweepEvaluation.CheckConsistent(runs);
        foreach (var r in runs)
        {
            var (i, t) = PairOf(r);
            if (!File.Exists(i)) throw new InputException($"{i}: file not found (training input of {r.Directory}); evaluate with the dataset");
            if (!File.Exists(t)) throw new InputException($"{t}: file not found (training target of {r.Directory}); evaluate with the dataset");
        }
        var scores = SweepEvaluation.Evaluate(runs, PairOf, progress: progress, cancel: cancel);
        AtomicFile.WriteText(outCsv, SweepEvaluation.Csv(scores));
        List<HeldOutScore>? held = null;
        string? heldPath = null;
        if (index is not null)
        {
            held = SweepEvaluation.HeldOut(runs, index, r => PairOf(r).Target, cancel: cancel);
            heldPath = HeldOutPath(outCsv);
            AtomicFile.WriteText(heldPath, SweepEvaluation.HeldOutCsv(held));
        }
        return new EvaluationOutcome(runs[0].Mode, scores, outCsv, held, heldPath, unfinished, index?.Problems ?? []);
    }

    /// <summary>Where the held-out CSV of <paramref name="output"/> goes: <c>&lt;name&gt;-heldout&lt;.ext&gt;</c> beside it.</summary>
    public static string HeldOutPath(string output)
    {
        string dir = Path.GetDirectoryName(output) ?? "";
        return Path.Combine(dir, Path.GetFileNameWithoutExtension(output) + "-heldout" + Path.GetExtension(output));
    }
}
