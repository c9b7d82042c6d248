using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone eval &lt;runs-dir&gt; &lt;out.csv&gt; [--dataset &lt;root&gt;]</c>: docs/model.md §6 evaluation with interpolation.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var runs = new Argument<string>("runs-dir") { Description = "A sweep's output folder (la2a_<peak>/ runs of one mode)" };
        var output = new Argument<string>("out.csv") { Description = "Evaluation CSV (the reference's layout)" };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset root: find each level's recording there (and write <out>-heldout.csv)" };
        var mode = new Option<string?>("--mode") { Description = "compress or limit, for runs that do not record their mode" };
        var cmd = new Command("eval", "Evaluate a sweep: ESR of each level and of linearly / spline-interpolated parameters (docs/model.md §6).")
        {
            runs, output, dataset, mode,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            Run(parse.GetValue(runs)!, parse.GetValue(output)!, parse.GetValue(dataset), La2aModes.Parse(parse.GetValue(mode)), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static List<LevelScores> Run(string runsDir, string output, string? datasetRoot, La2aMode? mode, TextWriter w, CancellationToken cancel)
    {
        var runs = RunSet.Load(runsDir, mode, out var unfinished);
        foreach (var u in unfinished) w.WriteLine($"note: {u} has no params.json (unfinished); left out");
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
            return (r.Parameters.Input ?? throw new InputException($"{r.Directory}: params.json does not name its input; give --dataset"),
                r.Parameters.Target ?? throw new InputException($"{r.Directory}: params.json does not name its target; give --dataset"));
        }

        SweepEvaluation.CheckConsistent(runs);
        foreach (var r in runs)
        {
            var (i, t) = PairOf(r);
            if (!File.Exists(i)) throw new InputException($"{i}: file not found (training input of {r.Directory}); give --dataset");
            if (!File.Exists(t)) throw new InputException($"{t}: file not found (training target of {r.Directory}); give --dataset");
        }
        w.WriteLine($"evaluating {runs.Count} levels of {runs[0].Mode.Name()} mode from {runsDir}");
        var scores = SweepEvaluation.Evaluate(runs, PairOf, cancel: cancel,
            levelDone: p => { lock (w) w.WriteLine($"  la2a_{p} done"); });
        AtomicFile.WriteText(output, SweepEvaluation.Csv(scores));
        Print(scores, w);
        w.WriteLine($"wrote {output}");
        if (index is not null)
        {
            var held = SweepEvaluation.HeldOut(runs, index, r => PairOf(r).Target, cancel: cancel);
            string heldPath = HeldOutPath(output);
            AtomicFile.WriteText(heldPath, SweepEvaluation.HeldOutCsv(held));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held out: {held.Count} other recordings of the same settings{(held.Count > 0 ? $", mean ESR {100 * held.Average(h => h.Esr):F3} %" : "")}; wrote {heldPath}"));
        }
        return scores;
    }

    public static string HeldOutPath(string output)
    {
        string dir = Path.GetDirectoryName(output) ?? "";
        return Path.Combine(dir, Path.GetFileNameWithoutExtension(output) + "-heldout" + Path.GetExtension(output));
    }

    public static void Print(IReadOnlyList<LevelScores> scores, TextWriter w)
    {
        var ic = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "level", "GT ESR %", "linear %", "spline %", "T dB", "R", "attack ms", "release ms", "M dB" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var s in scores)
            table.AddRow(s.PeakReduction.ToString(ic), (100 * s.Gt).ToString("F4", ic), s.Linear is { } l ? (100 * l).ToString("F4", ic) : "",
                s.Spline is { } sp ? (100 * sp).ToString("F4", ic) : "", s.Settings.ThresholdDb.ToString("F3", ic), s.Settings.Ratio.ToString("F4", ic),
                s.Settings.AttackMs.ToString("F4", ic), s.Settings.ReleaseMs.ToString("F3", ic), s.Settings.MakeUpDb.ToString("F4", ic));
        Cli.Write(w, table);
    }
}
