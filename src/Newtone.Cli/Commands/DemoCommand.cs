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
        var cmd = new Command("demo", "Generate music, compress it with published LA-2A settings, and fit it back (built-in data, about a minute).")
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
        const int sr = 44100;
        var clock = Stopwatch.StartNew();
        var truth = PublishedSettings.At(La2aMode.Compress, 75);
        w.WriteLine(string.Create(ic, $"Newtone demo (seed {seed}): {seconds:F0} s of generated music at {sr} Hz through the compressor at the published LA-2A fit for peak reduction 75 (compress), plus noise at -70 dBFS."));
        var x = MusicGenerator.Generate(seconds, sr, seed);
        var y = new float[x.Length];
        Compressor.Process(x, y, truth.ToCoefficients(sr));
        MusicGenerator.AddNoise(y, -70, seed + 1);
        Directory.CreateDirectory(outDir);
        string input = Path.Combine(outDir, "input.wav"), target = Path.Combine(outDir, "target.wav");
        WavFile.WriteFloat(input, new AudioBuffer(x, sr));
        WavFile.WriteFloat(target, new AudioBuffer(y, sr));
        w.WriteLine(string.Create(ic, $"  wrote {input} and {target} ({clock.Elapsed.TotalSeconds:F1} s)"));
        w.WriteLine();

        string runDir = Path.Combine(outDir, "fit");
        var config = FitConfig.Load(null, [$"ckpt_dir={runDir}", $"data.train.input={input}", $"data.train.target={target}"]);
        var outcome = FitCommand.Run(config, quiet: true, w, cancel);
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
        if (!Directory.Exists(Path.Combine(root, "Train")))
        {
            var tmpRoot = root + ".partial";
            if (Directory.Exists(tmpRoot)) Directory.Delete(tmpRoot, recursive: true);
            SyntheticDataset.Write(tmpRoot, new SyntheticDataset.Options { Seconds = 16, HeldOutSeconds = 6, Seed = seed + 100, Colour = true });
            Directory.Move(tmpRoot, root);
        }
        var index = SignalTrainIndex.Scan(root);
        w.WriteLine(string.Create(ic, $"  {index.Pairs.Count} recordings indexed ({index.Problems.Count} problems)"));
        string sweepDir = Path.Combine(outDir, "sweep");
        SweepCommand.Run(index, [La2aMode.Compress], sweepDir, Sweep.Levels(100, 40, 5), [], verbose: false, w, cancel);
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
        var after = jobs.Select(j => Comparison.Compare(j.Output, Path.Combine(root, Path.GetRelativePath(corrected, j.Output))).Esr).ToList();
        double before = scores.Average(s => s.Gt);
        w.WriteLine(string.Create(ic, $"mean ESR on the 13 training recordings: compressor alone {100 * before:F3} %, compressor + GRU {100 * after.Average():F3} % ({before / after.Average():F1}× lower)"));

        // Part 4: comparison and report.
        w.WriteLine();
        w.WriteLine("Part 4: comparison (ESR, ΔLDR) and the study's report.");
        string withMakeUp = Path.Combine(outDir, "rendered-makeup");
        RenderCommand.Run(root, sweepDir, [La2aMode.Compress], withMakeUp, makeUp: true, force: false, TextWriter.Null, cancel);
        CompareCommand.Run(root, [$"4A2A={withMakeUp}", $"4A2A+GRU={corrected}"], "3c", 10, Path.Combine(outDir, "scores.csv"), w, cancel);
        var target153 = index.TrainingPair(La2aMode.Compress, 75)!;
        Figures.Spectrogram(target153.TargetPath,
            [("4A-2A", Path.Combine(withMakeUp, target153.RelativePath)), ("4A-2A + GRU", Path.Combine(corrected, target153.RelativePath))],
            start: 6, seconds: 5, Path.Combine(outDir, "figure6.png"));
        var report = ReportCommand.Run(outDir, Path.Combine(outDir, "report.md"), TextWriter.Null);
        w.WriteLine($"wrote {Path.Combine(outDir, "figure6.png")} (Figure 6 of the paper on the miniature data)");
        w.WriteLine($"report: {report.Path} ({report.Figures.Count} figures)");
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
