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
        var parse = root.Parse(args);
        if (IsDebugBuild && parse.CommandResult.Command.Name is "fit" or "demo" or "sweep" or "eval" or "render" or "process" or "compare" or "train")
            Console.Error.WriteLine("warning: this newtone is a Debug build, 12–15× slower than Release; build or run it with -c Release");
        return parse.Invoke();
    }

    /// <summary>True when this executable was compiled without optimisation (a Debug build).</summary>
    private static bool IsDebugBuild =>
        typeof(Program).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled);

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
