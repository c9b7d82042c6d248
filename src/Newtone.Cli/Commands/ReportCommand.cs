using System.CommandLine;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone report &lt;dir&gt; --out report.md</c>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder of a study (CSVs, run directories, GRU checkpoints)" };
        var output = new Option<string>("--out", "-o") { Description = "Markdown report; figures go beside it in <name>-figures/", Required = true };
        var cmd = new Command("report", "Gather a study's CSVs and runs into one Markdown report with tables and figures.") { dir, output };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            Run(parse.GetValue(dir)!, parse.GetValue(output)!, Console.Out);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static StudyReport.Result Run(string dir, string output, TextWriter w)
    {
        var r = StudyReport.Write(dir, output, log: new Terminal.LineProgress(w));
        foreach (var p in r.Problems) w.WriteLine($"note: {p}");
        w.WriteLine($"wrote {r.Path} ({r.Figures.Count} figure(s))");
        return r;
    }
}
