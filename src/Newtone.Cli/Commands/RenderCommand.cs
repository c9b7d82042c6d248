using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone render &lt;root&gt; --runs &lt;dir&gt; --mode … --out &lt;dir&gt;</c>: docs/model.md §6 rendering.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Dataset root (SignalTrain layout)" };
        var runs = new Option<string>("--runs") { Description = "A sweep's output folder", Required = true };
        var mode = new Option<string>("--mode") { Description = "compress, limit or both", Required = true };
        var outDir = new Option<string>("--out", "-o") { Description = "Output tree (mirrors the dataset's relative paths)", Required = true };
        var noMakeUp = new Option<bool>("--no-make-up") { Description = "Render without make-up gain (what the GRU is trained on)" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing outputs" };
        var cmd = new Command("render", "Re-create every dataset target of the fitted levels through the fitted compressor (32-bit float WAV).")
        {
            root, runs, mode, outDir, noMakeUp, force,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            Run(parse.GetValue(root)!, parse.GetValue(runs)!, SweepCommand.Modes(parse.GetValue(mode)!), parse.GetValue(outDir)!,
                !parse.GetValue(noMakeUp), parse.GetValue(force), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static (int Rendered, int Skipped) Run(string root, string runsDir, La2aMode[] modes, string outDir, bool makeUp, bool force,
        TextWriter w, CancellationToken cancel)
    {
        var index = SignalTrainIndex.Scan(root);
        Cli.Skipped(index.Problems, w);
        var runs = RunSet.Load(runsDir, modes.Length == 1 ? modes[0] : null, out _).Where(r => modes.Contains(r.Mode)).ToList();
        if (runs.Count == 0) throw new InputException($"{runsDir}: no finished {string.Join("/", modes.Select(m => m.Name()))} runs (la2a_<peak>/params.json)");
        var jobs = DatasetRenderer.Plan(index, runs, outDir);
        double hours = jobs.Sum(j => j.Pair.Seconds) / 3600;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rendering {jobs.Count} files ({hours:F2} h of audio) for {runs.Count} levels {(makeUp ? "with" : "without")} make-up gain → {outDir}"));
        var bar = new ProgressBar("render", w);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (rendered, skipped) = DatasetRenderer.Render(jobs, makeUp, force, bar, cancel: cancel);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rendered {rendered} file(s), skipped {skipped} existing (use --force to redo) in {clock.Elapsed.TotalSeconds:F1} s"));
        return (rendered, skipped);
    }
}
