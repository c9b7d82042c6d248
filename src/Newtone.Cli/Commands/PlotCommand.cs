using System.CommandLine;
using System.Globalization;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone plot spectrogram|params|scores|fit</c>: the figures of a study (PNG, SVG or PDF, by the name of each <c>--out</c>).</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var cmd = new Command("plot", "Draw a figure: spectrogram (Figure 6), params, scores or fit.");
        cmd.Subcommands.Add(Spectrogram());
        cmd.Subcommands.Add(Params());
        cmd.Subcommands.Add(Scores());
        cmd.Subcommands.Add(Fit());
        return cmd;
    }

    private static Option<string[]> Out() => new("--out", "-o")
    {
        Description = "Figure file to write: .png, .svg or .pdf (repeat for several formats of one drawing)",
        Required = true,
    };

    /// <summary>The outputs, each checked for a known format before anything is read.</summary>
    private static string[] Outputs(ParseResult parse, Option<string[]> output)
    {
        var outs = parse.GetValue(output)!;
        foreach (var o in outs) Figures.FormatOf(o);
        return outs;
    }

    private static void Wrote(string[] outs)
    {
        foreach (var o in outs) Console.WriteLine($"wrote {o}");
    }

    private static Option<int> NewWidth() => new("--width") { Description = "Image width in pixels (0: automatic)", DefaultValueFactory = _ => 0 };

    private static Option<int> NewHeight() => new("--height") { Description = "Image height in pixels (0: automatic)", DefaultValueFactory = _ => 0 };

    private static (int W, int H) Size(ParseResult parse, Option<int> widthOption, Option<int> heightOption, int w, int h)
    {
        int width = parse.GetValue(widthOption), height = parse.GetValue(heightOption);
        if (width < 0 || height < 0 || width > 20000 || height > 20000) throw new ConfigException("--width/--height: between 1 and 20000 pixels (0: automatic)");
        return (width > 0 ? width : w, height > 0 ? height : h);
    }

    private static Command Spectrogram()
    {
        var target = new Option<string>("--target") { Description = "The original (hardware) recording", Required = true };
        var method = new Option<string[]>("--method") { Description = "NAME=WAV of an emulation of the same recording", Required = true };
        var start = new Option<double?>("--start")
        {
            Description = "Start (s); default the paper's 251 s, moved earlier (with a note) when the file is too short for it",
        };
        var seconds = new Option<double>("--seconds") { Description = "Length (s)", DefaultValueFactory = _ => 5 };
        var output = Out();
        var width = NewWidth();
        var height = NewHeight();
        var cmd = new Command("spectrogram", "Figure 6 generalised: the original and original − method, log-frequency, one colour bar.") { target, method, start, seconds, output, width, height };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var outs = Outputs(parse, output);
            var methods = parse.GetValue(method)!.Select(m =>
            {
                int eq = m.IndexOf('=');
                if (eq <= 0) throw new ConfigException($"--method '{m}': expected NAME=WAV");
                return (m[..eq], m[(eq + 1)..]);
            }).ToList();
            double length = parse.GetValue(seconds);
            if (!(length > 0.1)) throw new ConfigException("--seconds: must exceed 0.1");
            var (w, h) = Size(parse, width, height, 1200, 300 * (methods.Count + 1) + 120);
            string targetPath = parse.GetValue(target)!;
            double from;
            if (parse.GetValue(start) is { } explicitStart)
            {
                if (!(explicitStart >= 0)) throw new ConfigException("--start: must be 0 or more");
                var info = WavFile.ReadInfo(targetPath);
                if (explicitStart >= info.Seconds)
                    throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                        $"--start {explicitStart:G}: {targetPath} is {info.Seconds:F1} s long; the start is past its end"));
                from = explicitStart;
            }
            else
            {
                var fit = Figures.FitWindow([targetPath, .. methods.Select(m => m.Item2)], Figures.PaperStart, length);
                if (fit.ShortFile is { } shortFile)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"note: {shortFile} is {fit.FileSeconds:F1} s long; drawing {fit.Start:F1}–{fit.Start + fit.Seconds:F1} s instead of {Figures.PaperStart:0.###}–{Figures.PaperStart + length:0.###} s"));
                (from, length) = (fit.Start, fit.Seconds);
            }
            Figures.Spectrogram(targetPath, methods, from, length, outs, w, h);
            Wrote(outs);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static Command Params()
    {
        var evals = new Argument<string[]>("eval.csv") { Description = "Evaluation CSV(s) of `newtone eval` (compress and limit side by side)", Arity = ArgumentArity.OneOrMore };
        var output = Out();
        var width = NewWidth();
        var height = NewHeight();
        var cmd = new Command("params", "The five fitted parameters against peak reduction, knots and interpolated values marked.") { evals, output, width, height };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var outs = Outputs(parse, output);
            var files = parse.GetValue(evals)!;
            foreach (var o in outs) PathGuard.OutputIsNotInput(o, files);
            var list = files.Select(f => (Path.GetFileNameWithoutExtension(f), EvalCsv.Read(f))).ToList();
            var (w, h) = Size(parse, width, height, 520 * list.Count, 1300);
            Figures.Params(list, outs, w, h);
            Wrote(outs);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static Command Scores()
    {
        var scores = new Argument<string[]>("scores.csv") { Description = "Scores CSV(s) (Method,Mode,Peak Value,ESR,LDR), merged", Arity = ArgumentArity.OneOrMore };
        var output = Out();
        var width = NewWidth();
        var height = NewHeight();
        var cmd = new Command("scores", "ESR and ΔLDR against peak reduction per method and mode.") { scores, output, width, height };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var outs = Outputs(parse, output);
            var files = parse.GetValue(scores)!;
            foreach (var o in outs) PathGuard.OutputIsNotInput(o, files);
            var rows = files.SelectMany(ScoresCsv.Read).ToList();
            if (rows.Count == 0) throw new InputException($"{string.Join(", ", files)}: no rows");
            var (w, h) = Size(parse, width, height, 640 * rows.Select(r => r.Mode).Distinct().Count(), 760);
            Figures.Scores(rows, outs, w, h);
            Wrote(outs);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static Command Fit()
    {
        var run = new Argument<string>("run-dir") { Description = "A fitted run (directory with params.json)" };
        var output = Out();
        var width = NewWidth();
        var height = NewHeight();
        var cmd = new Command("fit", "One fitted run: target and prediction, the residual, the gain curves, and the ESR per Newton iteration.") { run, output, width, height };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var outs = Outputs(parse, output);
            var (w, h) = Size(parse, width, height, 1100, 1250);
            Figures.Fit(parse.GetValue(run)!, outs, 3, w, h);
            Wrote(outs);
            return CommandRunner.Ok;
        }));
        return cmd;
    }
}
