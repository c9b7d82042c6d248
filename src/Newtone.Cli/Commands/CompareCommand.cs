using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;
using Spectre.Console;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone compare &lt;root&gt; --method NAME=DIR ... --out scores.csv</c>: docs/model.md §8.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Dataset root with the targets" };
        var methods = new Option<string[]>("--method") { Description = "NAME=DIR of rendered files mirroring the dataset, or an existing scores.csv to merge", Required = true, AllowMultipleArgumentsPerToken = false };
        var pattern = new Option<string>("--pattern") { Description = "Targets whose name contains this", DefaultValueFactory = _ => "3c" };
        var minSeconds = new Option<double>("--min-seconds") { Description = "Targets longer than this", DefaultValueFactory = _ => 600 };
        var output = new Option<string>("--out", "-o") { Description = "Scores CSV (Method,Mode,Peak Value,ESR,LDR)", Required = true };
        var cmd = new Command("compare", "Compare emulations with the hardware: ESR and ΔLDR per method and recording (docs/model.md §8).")
        {
            root, methods, pattern, minSeconds, output,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            Run(parse.GetValue(root)!, parse.GetValue(methods)!, parse.GetValue(pattern)!, parse.GetValue(minSeconds), parse.GetValue(output)!, Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static (ComparisonRun Run, List<ScoreRow> Merged) Run(string root, string[] methodArgs, string pattern, double minSeconds, string output,
        TextWriter w, CancellationToken cancel)
    {
        var sources = new List<MethodSource>();
        var merged = new List<ScoreRow>();
        foreach (var m in methodArgs)
        {
            int eq = m.IndexOf('=');
            if (eq < 0 && m.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                merged.AddRange(ScoresCsv.Read(m));
                w.WriteLine($"merging published scores from {m}");
                continue;
            }
            if (eq <= 0) throw new ConfigException($"--method '{m}': expected NAME=DIR (or a scores.csv to merge)");
            string name = m[..eq], dir = m[(eq + 1)..];
            if (name.Contains(',')) throw new ConfigException($"--method '{m}': the name may not contain a comma");
            if (File.Exists(dir) && dir.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                merged.AddRange(ScoresCsv.Read(dir).Select(r => r with { Method = name }));
                continue;
            }
            sources.Add(new MethodSource(name, dir));
        }
        if (sources.Count == 0 && merged.Count == 0) throw new ConfigException("--method: give at least one NAME=DIR");
        var index = SignalTrainIndex.Scan(root);
        var bar = new ProgressBar("compare", w);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = MethodComparison.Run(index, sources, pattern, minSeconds, bar.Report, cancel: cancel);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Targets} target(s) matching '{pattern}' longer than {minSeconds:G} s; {run.Rows.Count} comparison(s) in {clock.Elapsed.TotalSeconds:F1} s"));
        if (run.Missing.Count > 0)
        {
            w.WriteLine($"{run.Missing.Count} file(s) missing:");
            foreach (var (method, rec) in run.Missing) w.WriteLine($"  {method}: {rec}");
        }
        AtomicFile.WriteText(output, ScoresCsv.Write(run.Rows));
        var all = run.Rows.Concat(merged).ToList();
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "method", "mode", "recordings", "mean ESR", "mean ΔLDR (dB)" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var s in MethodComparison.Summary(all))
            table.AddRow(s.Method, s.Mode == 0 ? "compress" : "limit", s.Count.ToString(CultureInfo.InvariantCulture),
                s.Esr.ToString("F4", CultureInfo.InvariantCulture), s.Ldr.ToString("F4", CultureInfo.InvariantCulture));
        Cli.Write(w, table);
        w.WriteLine($"wrote {output}");
        return (run, merged);
    }
}
