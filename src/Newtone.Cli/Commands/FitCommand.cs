using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone fit [config.yaml] [key=value ...]</c>.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var args = new Argument<string[]>("config-and-overrides")
        {
            Description = "An optional YAML configuration file, then dotted.key=value overrides (e.g. ckpt_dir=out data.train.input=in.wav data.train.target=out.wav model=opto data.holdout=0.3); every key is listed in the README (Configuration) and docs/model.md §4",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only the summary, no per-iteration lines" };
        var cmd = new Command("fit", "Fit the compressor (model=ff5, the paper's five parameters, or model=opto) to an input/target recording pair (exact Newton–Raphson).")
        {
            args,
            quiet,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var items = parse.GetValue(args) ?? [];
            string? file = null;
            var overrides = new List<string>();
            for (int i = 0; i < items.Length; i++)
            {
                if (i == 0 && !items[i].Contains('=')) file = items[i];
                else if (!items[i].Contains('=')) throw new ConfigException($"'{items[i]}': expected key=value (only the first argument may be a config file)");
                else overrides.Add(items[i]);
            }
            var config = FitConfig.Load(file, overrides);
            Run(config, parse.GetValue(quiet), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static FitOutcome Run(FitConfig config, bool quiet, TextWriter output, CancellationToken cancel)
    {
        FitOutcome outcome;
        using (var progress = new FitProgress(quiet, output == Console.Out ? null : output))
            outcome = FitJob.Run(config, progress, cancel);
        PrintSummary(outcome, output);
        return outcome;
    }

    public static void PrintSummary(FitOutcome o, TextWriter w)
    {
        var r = o.Result;
        var s = r.Settings;
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine();
        string timing = double.IsFinite(r.MeanDerivativeSeconds)
            ? string.Create(ic, $"; one loss+gradient+Hessian evaluation {1000 * r.MeanDerivativeSeconds:F1} ms on average")
            : "; no Newton iteration was run";
        w.WriteLine(string.Create(ic, $"Fit finished: {FitJob.StopName(r.Stop)} after {r.Iterations} iterations in {r.Seconds:F2} s ({o.Audio:F1} s of audio{timing})"));
        if (r.Search is { } search)
            w.WriteLine(string.Create(ic, $"  global stage: {search.Candidates} candidates, seed {search.Seed}, winner: {search.Winner}"));
        w.WriteLine(string.Create(ic, $"  threshold  {s.ThresholdDb,10:F3} dB"));
        w.WriteLine(string.Create(ic, $"  ratio      {s.Ratio,10:F4}"));
        w.WriteLine(string.Create(ic, $"  attack     {s.AttackMs,10:F4} ms"));
        w.WriteLine(string.Create(ic, $"  release    {s.ReleaseMs,10:F3} ms"));
        w.WriteLine(string.Create(ic, $"  make-up    {s.MakeUpDb,10:F4} dB"));
        if (r.Model.Opto is { } x)
        {
            w.WriteLine(string.Create(ic, $"  knee       {x.KneeDb,10:F3} dB"));
            w.WriteLine(string.Create(ic, $"  slow share {x.SlowShare,10:F4}"));
            w.WriteLine(string.Create(ic, $"  charge     {x.ChargeMs,10:F2} ms"));
            w.WriteLine(string.Create(ic, $"  slow rel.  {x.SlowReleaseMs,10:F2} ms"));
            w.WriteLine(string.Create(ic, $"  emphasis   {x.Emphasis,10:F4}"));
        }
        w.WriteLine(string.Create(ic, $"  lowest loss {r.Loss:G6}, ESR {100 * r.Esr:F4} % (pre-filtered, frames beyond the overlap)"));
        var p = o.Parameters;
        if (p.GainOnlyEsr is { } g)
            w.WriteLine(g > 0 && r.Esr <= g
                ? string.Create(ic, $"  the best constant gain reaches ESR {100 * g:F4} %: the compressor removes {100 * (1 - r.Esr / g):F1} % of that error")
                : g > 0
                    ? string.Create(ic, $"  the best constant gain reaches ESR {100 * g:F4} %: the compressor does {r.Esr / g:G3}× worse than that")
                    : string.Create(ic, $"  the best constant gain reaches ESR {100 * g:F4} %"));
        if (p.HoldoutEsr is { } he)
            w.WriteLine(string.Create(ic, $"  held out the last {p.HoldoutSeconds:F3} s ({100 * p.Holdout:G3} % of the audio): ESR {100 * he:G4} %, best constant gain {100 * p.HoldoutGainOnlyEsr:G4} %"));
        foreach (var limit in p.AtRangeLimit)
            w.WriteLine($"  note: {limit} — the fit may want more; widen compressor.range if that is physically sensible");
        if (p.StalledIterations >= 3)
            w.WriteLine(string.Create(ic, $"  note: the last {p.StalledIterations} iterations did not lower the loss (stopped: {FitJob.StopName(r.Stop)})"));
        w.WriteLine($"  wrote {Path.Combine(o.Directory, FitJob.ParamsFile)}, {FitJob.ConfigFile}, {FitJob.HistoryFile}");
    }
}
