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

    public static ComparisonOutcome Run(string root, string[] methodArgs, string pattern, double minSeconds, string output,
        TextWriter w, CancellationToken cancel)
    {
        var sources = new List<MethodSource>();
        var merges = new List<ScoresSource>();
        foreach (var m in methodArgs)
        {
            int eq = m.IndexOf('=');
            if (eq < 0 && m.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                merges.Add(new ScoresSource(m));
                w.WriteLine($"merging scores from {m}");
                continue;
            }
            if (eq <= 0) throw new ConfigException($"--method '{m}': expected NAME=DIR (or a scores.csv to merge)");
            string name = m[..eq], dir = m[(eq + 1)..];
            if (name.Contains(',')) throw new ConfigException($"--method '{m}': the name may not contain a comma");
            if (File.Exists(dir) && dir.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) merges.Add(new ScoresSource(dir, name));
            else sources.Add(new MethodSource(name, dir));
        }
        if (sources.Count == 0 && merges.Count == 0) throw new ConfigException("--method: give at least one NAME=DIR");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var o = ComparisonJob.Run(root, sources, merges, pattern, minSeconds, output, new ProgressBar("compare", w), cancel);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{o.Run.Targets} target(s) matching '{pattern}' longer than {minSeconds:G} s; {o.Run.Rows.Count} comparison(s) in {clock.Elapsed.TotalSeconds:F1} s"));
        Cli.Skipped(o.Skipped, w);
        if (o.Run.Missing.Count > 0)
        {
            w.WriteLine($"{o.Run.Missing.Count} file(s) missing:");
            foreach (var (method, rec) in o.Run.Missing) w.WriteLine($"  {method}: {rec}");
        }
        var table = Cli.NewTable(["method", "mode", "recordings", "mean ESR %", "mean ΔLDR dB"], "method", "mode");
        foreach (var s in o.Summary)
            table.AddRow(Markup.Escape(s.Method), s.Mode == 0 ? "compress" : "limit", s.Count.ToString(CultureInfo.InvariantCulture),
                (100 * s.Esr).ToString("F4", CultureInfo.InvariantCulture), s.DeltaLdr.ToString("F4", CultureInfo.InvariantCulture));
        Cli.Write(w, table);
        w.WriteLine($"wrote {output}");
        return o;
    }
}
