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
        w.WriteLine($"evaluating the runs in {runsDir}{(datasetRoot is null ? "" : $" on {datasetRoot}")}");
        var progress = new Terminal.ProgressBar("eval", w);
        var o = EvaluationJob.Run(runsDir, output, datasetRoot, mode, progress, cancel);
        foreach (var u in o.Unfinished) w.WriteLine($"note: {u} has no params.json (unfinished); left out");
        Cli.Skipped(o.Skipped, w);
        Print(o.Scores, w);
        w.WriteLine($"{o.Scores.Count} levels of {o.Mode.Name()} mode; wrote {o.CsvPath}");
        if (o.HeldOut is { } held)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held out: {held.Count} other recordings of the same settings{(held.Count > 0 ? $", mean ESR {100 * held.Average(h => h.Esr):F3} %" : "")}; wrote {o.HeldOutPath}"));
        return o.Scores;
    }

    public static void Print(IReadOnlyList<LevelScores> scores, TextWriter w)
    {
        var ic = CultureInfo.InvariantCulture;
        var table = Cli.NewTable(["level", "GT ESR %", "lin. %", "spline %", "T dB", "R", "att. ms", "rel. ms", "M dB"]);
        foreach (var s in scores)
            table.AddRow(s.PeakReduction.ToString(ic), (100 * s.Gt).ToString("F3", ic), s.Linear is { } l ? (100 * l).ToString("F3", ic) : "",
                s.Spline is { } sp ? (100 * sp).ToString("F3", ic) : "", s.Settings.ThresholdDb.ToString("F2", ic), s.Settings.Ratio.ToString("F2", ic),
                s.Settings.AttackMs.ToString("F2", ic), s.Settings.ReleaseMs.ToString("F1", ic), s.Settings.MakeUpDb.ToString("F2", ic));
        Cli.Write(w, table);
        if (scores.All(s => s.Opto is null)) return;
        // The opto model's extras (docs/model.md §11) in a second table: one row of both would not fit 80 columns.
        var opto = Cli.NewTable(["level", "knee dB", "slow share", "charge ms", "slow rel. ms", "emphasis"]);
        foreach (var s in scores.Where(s => s.Opto is not null))
            opto.AddRow(s.PeakReduction.ToString(ic), s.Opto!.KneeDb.ToString("F2", ic), s.Opto.SlowShare.ToString("F3", ic),
                s.Opto.ChargeMs.ToString("F1", ic), s.Opto.SlowReleaseMs.ToString("F1", ic), s.Opto.Emphasis.ToString("F3", ic));
        Cli.Write(w, opto);
    }
}
