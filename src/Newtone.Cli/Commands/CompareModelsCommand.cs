using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;
using Spectre.Console;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone compare-models &lt;input&gt; &lt;target&gt; [key=value ...]</c>: docs/model.md §11, model selection.</summary>
internal static class CompareModelsCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "The recording fed to the device (WAV or MP3)" };
        var target = new Argument<string>("target") { Description = "The same recording through the device" };
        var overrides = new Argument<string[]>("overrides")
        {
            Description = "dotted.key=value fit settings for both models (e.g. data.holdout=0.3 data.duration=12)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var config = new Option<string?>("--config", "-c") { Description = "A YAML fit configuration for both models" };
        var output = new Option<string?>("--out", "-o") { Description = "Directory for the runs (<out>/ff5, <out>/opto) and comparison.csv; default: models-<input name>" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only the summary, no per-iteration lines" };
        var cmd = new Command("compare-models",
            "Fit the five-parameter and the opto model to the same pair and compare them on audio held out of the fit (default: the last 30 %).")
        {
            input, target, overrides, config, output, quiet,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var items = parse.GetValue(overrides) ?? [];
            foreach (var o in items)
                if (!o.Contains('=')) throw new ConfigException($"'{o}': expected key=value");
            string inPath = parse.GetValue(input)!, tgtPath = parse.GetValue(target)!;
            string outDir = parse.GetValue(output) ?? "models-" + Path.GetFileNameWithoutExtension(inPath);
            bool Has(string key) => items.Any(o => o.StartsWith(key + "=", StringComparison.Ordinal));
            if (Has("model") || Has("ckpt_dir"))
                throw new ConfigException("compare-models fits every model into --out: do not set model or ckpt_dir");
            var all = items.Append($"data.train.input={inPath}").Append($"data.train.target={tgtPath}").Append("ckpt_dir=" + outDir);
            string? file = parse.GetValue(config);
            var cfg = FitConfig.Load(file, all);
            var fromFile = file is null ? null : FitConfig.Load(file, []);
            var defaults = new FitConfig();
            if (fromFile is not null && (fromFile.Model != defaults.Model || fromFile.CkptDir is not null
                || fromFile.Data.Train.Input is not null || fromFile.Data.Train.Target is not null))
                throw new ConfigException($"{file}: compare-models sets model, ckpt_dir and data.train.input/target itself; remove them from the file");
            cfg = ModelComparisonJob.WithDefaults(cfg,
                holdoutSet: Has("data.holdout") || (fromFile is not null && fromFile.Data.Holdout != defaults.Data.Holdout),
                durationSet: Has("data.duration") || (fromFile is not null && fromFile.Data.Duration != defaults.Data.Duration),
                overlapSet: Has("data.overlap") || (fromFile is not null && fromFile.Data.Overlap != defaults.Data.Overlap));
            Run(cfg, outDir, parse.GetValue(quiet), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    /// <summary>An ESR fraction in %, four significant digits (tiny values in exponent form).</summary>
    private static string Percent(double fraction)
    {
        double p = 100 * fraction;
        return p == 0 ? "0" : Math.Abs(p) >= 1e-3 ? p.ToString("G4", CultureInfo.InvariantCulture) : p.ToString("0.###E+0", CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<ModelScore> Run(FitConfig config, string outDir, bool quiet, TextWriter w, CancellationToken cancel)
    {
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(ic,
            $"fitting on the first {100 * (1 - config.Data.Holdout):G3} % of the audio, holding out the rest; frames of {config.Data.Duration:G4} s (overlap {config.Data.Overlap:G4} s)"));
        IReadOnlyList<ModelScore> scores;
        using (var progress = new FitProgress(quiet, w == Console.Out ? null : w))
            scores = ModelComparisonJob.Run(config, outDir, progress, cancel);
        // ESR in %: on the training frames and on the held-out audio, for the model and for the best constant gain.
        var table = Cli.NewTable(["model", "params", "train", "held out", "gain: train", "gain: held out", "fit (s)"], "model");
        static string P(double? v) => v is { } d ? Percent(d) : "–";
        foreach (var s in scores)
            table.AddRow(ModelComparisonJob.Name(s.Model), s.Parameters.ToString(ic), P(s.TrainEsr), P(s.HoldoutEsr),
                P(s.TrainGainOnlyEsr), P(s.HoldoutGainOnlyEsr), s.Seconds.ToString("F2", ic));
        w.WriteLine("ESR in % (pre-filtered); \"gain\": the best constant gain on the same audio");
        Cli.Write(w, table);
        if (scores.Count == 2 && scores[0].HoldoutEsr is { } a && scores[1].HoldoutEsr is { } b)
        {
            w.WriteLine(b < a
                ? string.Create(ic, $"opto is better on the held-out audio: ESR {Percent(b)} % against {Percent(a)} %{(a > 0 ? string.Create(ic, $" ({100 * (1 - b / a):F1} % less error)") : "")}")
                : string.Create(ic, $"opto is NOT better on the held-out audio: ESR {Percent(b)} % against ff5's {Percent(a)} %"));
            if (scores[0].HoldoutGainOnlyEsr is { } g && Math.Min(a, b) >= g)
                w.WriteLine($"note: neither model beats the best constant gain on the held-out audio ({Percent(g)} %): this recording says little about dynamics");
        }
        foreach (var s in scores.Where(s => s.Run.StopReason == "epochs"))
            w.WriteLine(string.Create(ic, $"note: the {ModelComparisonJob.Name(s.Model)} fit stopped at its iteration limit ({s.Run.Iterations} iterations) before converging; epochs=… allows more"));
        w.WriteLine($"wrote {Path.Combine(outDir, ModelComparisonJob.CsvFile)} and the runs {Path.Combine(outDir, "ff5")}, {Path.Combine(outDir, "opto")}");
        return scores;
    }
}
