using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Newtone.Cli.Commands;

/// <summary>
/// <c>newtone demo</c>: the main job on built-in data. About a minute of music-like audio goes through the
/// compressor at the published LA-2A fit for peak reduction 75 (compress), plus faint noise; Newtone then
/// fits it from the default start and shows true against recovered parameters.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for the demo's audio and runs", DefaultValueFactory = _ => "newtone-demo" };
        var seconds = new Option<double>("--seconds") { Description = "Length of the generated audio", DefaultValueFactory = _ => 60 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generated music and noise", DefaultValueFactory = _ => 7 };
        var cmd = new Command("demo", "Generate music, compress it with published LA-2A settings, and fit it back (built-in data; under a minute, about 50 s on two cores).")
        {
            outDir, seconds, seed,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
            Run(parse.GetValue(outDir)!, parse.GetValue(seconds), parse.GetValue(seed), Console.Out, cancel)));
        return cmd;
    }

    public static int Run(string outDir, double seconds, ulong seed, TextWriter w, CancellationToken cancel)
    {
        if (!(seconds >= 14)) throw new ConfigException("--seconds: at least 14 s (one 12 s frame plus its overlap)");
        var ic = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        w.WriteLine(string.Create(ic, $"Newtone demo (seed {seed}): {seconds:F0} s of generated music at {Demo.SampleRate} Hz through the compressor at the published LA-2A fit for peak reduction 75 (compress), plus noise at {Demo.NoiseDbfs:F0} dBFS."));
        var data = Demo.PrepareFit(outDir, seconds, seed);
        var truth = data.Truth.Settings;
        w.WriteLine(string.Create(ic, $"  wrote {data.Input} and {data.Target} ({clock.Elapsed.TotalSeconds:F1} s)"));
        w.WriteLine();
        var outcome = FitCommand.Run(data.Config, quiet: true, w, cancel);
        var r = outcome.Result.Settings;

        w.WriteLine();
        w.WriteLine("                 true        recovered   error");
        Row(w, "threshold dB", truth.ThresholdDb, r.ThresholdDb, absolute: true);
        Row(w, "ratio", truth.Ratio, r.Ratio);
        Row(w, "attack ms", truth.AttackMs, r.AttackMs);
        Row(w, "release ms", truth.ReleaseMs, r.ReleaseMs);
        Row(w, "make-up dB", truth.MakeUpDb, r.MakeUpDb, absolute: true);
        w.WriteLine(string.Create(ic, $"ESR {100 * outcome.Result.Esr:F4} %, fit {outcome.Result.Seconds:F2} s."));

        // Part 2: a miniature SignalTrain study — tree, sweep, evaluation with interpolation.
        w.WriteLine();
        string root = Path.Combine(outDir, "signaltrain");
        w.WriteLine(string.Create(ic, $"Part 2: a miniature SignalTrain-shaped dataset in {root}: compress mode, peak reduction 40…100, targets from parameters that vary smoothly with peak reduction, plus even-harmonic \"tube\" colour that five parameters cannot express."));
        var index = Demo.PrepareDataset(root, seed);
        w.WriteLine(string.Create(ic, $"  {index.Pairs.Count} recordings indexed ({index.Problems.Count} problems)"));
        string sweepDir = Path.Combine(outDir, "sweep");
        SweepCommand.Run(index, [La2aMode.Compress], sweepDir, Sweep.Levels(100, 40, 5), new FitConfig(), verbose: false, w, cancel);
        w.WriteLine();
        var scores = EvalCommand.Run(sweepDir, Path.Combine(outDir, "eval.csv"), root, null, w, cancel);

        // Part 3: the GRU make-up gain corrects what the compressor cannot express.
        w.WriteLine();
        w.WriteLine("Part 3: the GRU make-up gain, trained on the compressor's output without make-up (3c files).");
        string rendered = Path.Combine(outDir, "rendered");
        RenderCommand.Run(root, sweepDir, [La2aMode.Compress], rendered, makeUp: false, force: false, w, cancel);
        string gruDir = Path.Combine(outDir, "gru");
        GruCommand.RunTrain(rendered, root, "3c", 10, gruDir, new GruTrainingOptions { Epochs = 10, Seed = seed }, quiet: true, w, cancel);
        string corrected = Path.Combine(outDir, "rendered-gru");
        var model = GruCheckpoint.Load(gruDir).Model();
        var jobs = GruRenderer.Plan(rendered, corrected, "3c");
        GruRenderer.Render(model, jobs, cancel: cancel);
        var after = Demo.Esr(jobs, corrected, root);
        double before = scores.Average(s => s.Gt);
        w.WriteLine(string.Create(ic, $"mean ESR on the 13 training recordings: compressor alone {100 * before:F3} %, compressor + GRU {100 * after.Average():F3} % ({before / after.Average():F1}× lower)"));

        // Part 4: comparison and report.
        w.WriteLine();
        w.WriteLine("Part 4: comparison (ESR, ΔLDR) and the study's report.");
        string withMakeUp = Path.Combine(outDir, "rendered-makeup");
        RenderCommand.Run(root, sweepDir, [La2aMode.Compress], withMakeUp, makeUp: true, force: false, TextWriter.Null, cancel);
        CompareCommand.Run(root, [$"4A2A={withMakeUp}", $"4A2A+GRU={corrected}"], "3c", 10, Path.Combine(outDir, "scores.csv"), w, cancel);
        var target153 = index.TrainingPair(La2aMode.Compress, 75)!;
        string[] figure6 = [.. new[] { ".png", ".svg", ".pdf" }.Select(e => Path.Combine(outDir, "figure6" + e))];
        Figures.Spectrogram(target153.TargetPath,
            [("4A-2A", Path.Combine(withMakeUp, target153.RelativePath)), ("4A-2A + GRU", Path.Combine(corrected, target153.RelativePath))],
            start: 6, seconds: 5, figure6);
        w.WriteLine($"wrote {string.Join(", ", figure6)} (Figure 6 of the paper on the miniature data)");
        var report = ReportCommand.Run(outDir, Path.Combine(outDir, "report.md"), TextWriter.Null, FigureFormats.All);
        int drawings = report.Figures.Select(f => Path.ChangeExtension(f, null)).Distinct().Count();
        w.WriteLine($"report: {report.Path} ({drawings} figures, each as PNG, SVG and PDF in {Path.ChangeExtension(report.Path, null)}-figures/)");
        w.WriteLine(string.Create(ic, $"Demo finished in {clock.Elapsed.TotalSeconds:F1} s; everything is in {outDir}/."));
        return CommandRunner.Ok;
    }

    private static void Row(TextWriter w, string name, double truth, double fitted, bool absolute = false)
    {
        string err = absolute
            ? (fitted - truth).ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture) + " dB"
            : (100 * (fitted - truth) / truth).ToString("+0.000;-0.000", CultureInfo.InvariantCulture) + " %";
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-13} {truth,10:F4}  {fitted,10:F4}   {err}"));
    }
}
