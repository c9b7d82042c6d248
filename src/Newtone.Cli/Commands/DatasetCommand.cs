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
        var table = Cli.NewTable(["folder", "id", "family", "mode", "peak", "duration", "rate"], "folder", "family", "mode");
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
        console.Profile.Width = Width;
        console.Write(r);
    }

    /// <summary>Lists the dataset files a command could not use, with a count (nothing when there are none).</summary>
    public static void Skipped(IReadOnlyList<DatasetProblem> problems, TextWriter w)
    {
        if (problems.Count == 0) return;
        w.WriteLine($"{problems.Count} dataset file(s) skipped:");
        foreach (var p in problems) w.WriteLine($"  {p.Path}: {p.Problem}");
    }

    /// <summary>Tables are laid out for an 80-column terminal when the output is not one.</summary>
    public const int Width = 80;

    /// <summary>
    /// A table for an 80-column terminal: compact borders; numeric columns (right-aligned, listed by name in
    /// <paramref name="text"/> otherwise) never wrap, so a number is never split; text columns wrap.
    /// </summary>
    public static Table NewTable(IEnumerable<string> headers, params string[] text)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in headers)
        {
            var c = new TableColumn(h).Padding(1, 0, 0, 0);
            if (text.Contains(h)) c.LeftAligned();
            else c.RightAligned().NoWrap();
            table.AddColumn(c);
        }
        return table;
    }
}
