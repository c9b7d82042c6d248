using System.CommandLine;
using Newtone.Cli.Commands;

namespace Newtone.Cli;

/// <summary>The <c>newtone</c> command line: a thin layer over the Newtone library.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var root = BuildRoot();
        return root.Parse(args).Invoke();
    }

    /// <summary>The command tree (also used by the tests).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Newtone: fit, render and compare digital emulations of the LA-2A levelling amplifier.");
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(ProcessCommand.Create());
        root.Subcommands.Add(GruCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }
}
