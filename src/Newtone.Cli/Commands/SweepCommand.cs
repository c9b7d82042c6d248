using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;
using Spectre.Console;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone sweep &lt;root&gt; --mode … --out …</c>: docs/model.md §6 sweep, resumable.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Dataset root (SignalTrain layout)" };
        var overrides = new Argument<string[]>("fit-options") { Description = "key=value fit options applied to every level", Arity = ArgumentArity.ZeroOrMore };
        var mode = new Option<string>("--mode") { Description = "compress, limit or both", Required = true };
        var outDir = new Option<string>("--out", "-o") { Description = "Output folder (la2a_<peak>/ per level)", Required = true };
        var from = new Option<int>("--from") { Description = "First (highest) peak reduction", DefaultValueFactory = _ => 100 };
        var to = new Option<int>("--to") { Description = "Last (lowest) peak reduction", DefaultValueFactory = _ => 40 };
        var step = new Option<int>("--step") { Description = "Step between levels", DefaultValueFactory = _ => 5 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every Newton iteration" };
        var cmd = new Command("sweep", "Fit every peak-reduction level from 100 down to 40, each warm-started from the one above (resumable).")
        {
            root, overrides, mode, outDir, from, to, step, verbose,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var modes = Modes(parse.GetValue(mode)!);
            int first = parse.GetValue(from), last = parse.GetValue(to), by = parse.GetValue(step);
            if (by <= 0) throw new ConfigException($"--step: must be positive, got {by}");
            if (first < last) throw new ConfigException($"--from ({first}) must not be below --to ({last}): the sweep runs downwards");
            if (last < 0 || first > 100) throw new ConfigException("--from and --to: peak reduction runs from 0 to 100");
            var levels = Sweep.Levels(first, last, by);
            var options = FitConfig.Load(null, parse.GetValue(overrides) ?? []);
            var index = SignalTrainIndex.Scan(parse.GetValue(root)!);
            var all = Run(index, modes, parse.GetValue(outDir)!, levels, options, parse.GetValue(verbose), Console.Out, cancel);
            return all.Any(l => l.Parameters is null) ? CommandRunner.Failed : CommandRunner.Ok;
        }));
        return cmd;
    }

    public static La2aMode[] Modes(string text) => text.ToLowerInvariant() switch
    {
        "both" => [La2aMode.Compress, La2aMode.Limit],
        _ => [La2aModes.Parse(text) ?? throw new ConfigException($"--mode: expected compress, limit or both, got '{text}'")],
    };

    public static List<SweepLevel> Run(SignalTrainIndex index, La2aMode[] modes, string outDir, List<int> levels, FitConfig options,
        bool verbose, TextWriter w, CancellationToken cancel)
    {
        Cli.Skipped(index.Problems, w);
        var all = new List<SweepLevel>();
        foreach (var m in modes)
        {
            string dir = modes.Length > 1 ? Path.Combine(outDir, m.Name()) : outDir;
            w.WriteLine($"sweep of {m.Name()} mode, levels {string.Join(", ", levels)} → {dir}");
            all.AddRange(Sweep.Run(index, m, dir, levels, options, new Observer(w, verbose), cancel));
        }
        PrintSummary(all, w);
        return all;
    }

    public static void PrintSummary(IReadOnlyList<SweepLevel> levels, TextWriter w)
    {
        var ic = CultureInfo.InvariantCulture;
        // One table per mode; the recordings were named as each level started.
        foreach (var mode in levels.Select(l => l.Mode).Distinct())
        {
            var table = Cli.NewTable(["level", "ESR %", "T dB", "R", "attack ms", "release ms", "M dB", "iter.", "seconds"]);
            foreach (var l in levels.Where(l => l.Mode == mode))
            {
                var p = l.Parameters;
                if (p is null)
                {
                    table.AddRow(l.PeakReduction.ToString(ic), "no 3c", "recording", "", "", "", "", "", "");
                    continue;
                }
                table.AddRow(l.PeakReduction.ToString(ic), (100 * p.Esr).ToString("F4", ic), p.ThresholdDb.ToString("F2", ic), p.Ratio.ToString("F3", ic),
                    p.AttackMs.ToString("F3", ic), p.ReleaseMs.ToString("F1", ic), p.MakeUpDb.ToString("F3", ic), p.Iterations.ToString(ic),
                    l.Skipped ? "earlier" : l.Seconds.ToString("F2", ic));
            }
            w.WriteLine($"{mode.Name()} mode:");
            Cli.Write(w, table);
        }
    }

    private sealed class Observer(TextWriter w, bool verbose) : IProgress<SweepEvent>
    {
        private readonly FitProgress? _progress = verbose ? new FitProgress(false, w) : null;

        public void Report(SweepEvent e)
        {
            switch (e)
            {
                case SweepLevelStarting s: LevelStarting(s.Mode, s.PeakReduction, s.Pair, s.WarmStartFrom); break;
                case SweepLevelDone d: LevelDone(d.Level); break;
                case SweepFitEvent f: _progress?.Report(f.Event); break;
            }
        }

        private void LevelStarting(La2aMode mode, int peak, SignalTrainPair pair, string? warm) =>
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fitting {mode.Name()} la2a_{peak} on {pair.RelativePath} ({pair.Seconds:F1} s){(warm is null ? " from the default start" : $", warm start from {warm}")}"));

        private void LevelDone(SweepLevel l)
        {
            var ic = CultureInfo.InvariantCulture;
            if (l.Parameters is null) w.WriteLine($"  la2a_{l.PeakReduction}: no 3c recording of {l.Mode.Name()} {l.PeakReduction} in the dataset; skipped");
            else if (l.Skipped) w.WriteLine($"  la2a_{l.PeakReduction}: already complete, skipped");
            else w.WriteLine(string.Create(ic, $"  la2a_{l.PeakReduction}: ESR {100 * l.Parameters.Esr:F4} %, {l.Parameters.Model}, {l.Parameters.Iterations} iterations, {l.Seconds:F2} s"));
            if (l.Parameters is { } p)
                foreach (var limit in p.AtRangeLimit) w.WriteLine($"    note: {limit}");
        }
    }
}
