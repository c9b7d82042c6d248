using System.CommandLine;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone report &lt;dir&gt; --out report.md [--figures png|svg|pdf|all]</c>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder of a study (CSVs, run directories, GRU checkpoints, figure6.*)" };
        var output = new Option<string>("--out", "-o") { Description = "Markdown report; figures go beside it in <name>-figures/", Required = true };
        var figures = new Option<string>("--figures")
        {
            Description = "Figure formats: png (shown in the Markdown, always written), svg, pdf or all; comma-separated for several",
            DefaultValueFactory = _ => "png",
        };
        var cmd = new Command("report", "Gather a study's CSVs, runs and figures into one Markdown report with tables and figures.") { dir, output, figures };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var formats = Formats(parse.GetValue(figures)!);
            Run(parse.GetValue(dir)!, parse.GetValue(output)!, Console.Out, formats);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    /// <summary>Parses <c>--figures</c>: png, svg, pdf or all, comma-separated.</summary>
    internal static FigureFormats Formats(string text)
    {
        var formats = FigureFormats.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            formats |= part.ToLowerInvariant() switch
            {
                "png" => FigureFormats.Png,
                "svg" => FigureFormats.Svg,
                "pdf" => FigureFormats.Pdf,
                "all" => FigureFormats.All,
                _ => throw new ConfigException($"--figures '{text}': png, svg, pdf or all (comma-separated for several)"),
            };
        }
        return formats | FigureFormats.Png;
    }

    public static StudyReport.Result Run(string dir, string output, TextWriter w, FigureFormats formats = FigureFormats.Png)
    {
        var r = StudyReport.Write(dir, output, log: new Terminal.LineProgress(w), figures: formats);
        foreach (var p in r.Problems) w.WriteLine($"note: {p}");
        int drawings = r.Figures.Select(f => Path.ChangeExtension(f, null)).Distinct().Count();
        w.WriteLine($"wrote {r.Path} ({drawings} figure(s), {r.Figures.Count} file(s): {FormatNames(formats)})");
        return r;
    }

    internal static string FormatNames(FigureFormats formats) =>
        string.Join(", ", new[] { FigureFormats.Png, FigureFormats.Svg, FigureFormats.Pdf }.Where(f => formats.HasFlag(f)).Select(f => f.ToString().ToUpperInvariant()));
}
