using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone dataset &lt;root&gt;</c>: index a SignalTrain-shaped dataset.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Dataset root holding Train/, Val/ and Test/" };
        var cmd = new Command("dataset", "Index a SignalTrain LA-2A dataset: pair every target with its input and report problems.") { root };
        cmd.SetAction(parse => CommandRunner.Run(_ =>
        {
            var index = SignalTrainIndex.Scan(parse.GetValue(root)!);
            Print(index, Console.Out);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static void Print(SignalTrainIndex index, TextWriter w)
    {
        var ic = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "folder", "id", "family", "mode", "peak", "duration", "rate" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var p in index.Pairs)
            table.AddRow(p.Folder, p.Id.ToString(ic), p.Family, p.Mode.Name(), p.PeakReduction.ToString(ic),
                string.Create(ic, $"{p.Seconds:F1} s"), string.Create(ic, $"{p.SampleRate} Hz"));
        Cli.Write(w, table);
        w.WriteLine(string.Create(ic, $"{index.Pairs.Count} pairs in {index.Root} ({index.Pairs.Sum(p => p.Seconds) / 3600:F2} h of audio); {index.Problems.Count} problem(s)"));
        foreach (var p in index.Problems) w.WriteLine($"  problem: {p.Path}: {p.Problem}");
    }
}

/// <summary>Writing Spectre renderables to any writer (plain when redirected).</summary>
internal static class Cli
{
    public static void Write(TextWriter w, Spectre.Console.Rendering.IRenderable r)
    {
        if (w == Console.Out && !Console.IsOutputRedirected)
        {
            AnsiConsole.Write(r);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(w),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        console.Write(r);
    }
}
