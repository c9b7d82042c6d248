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
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            // Like every other bad input: one line, exit code 2, no .NET type names.
            var names = new List<string>();
            for (var r = parse.CommandResult; r is not null && r.Command != root; r = r.Parent as System.CommandLine.Parsing.CommandResult)
                names.Insert(0, r.Command.Name);
            string path = string.Join(' ', names);
            // An unknown word explains the rest ("required command missing") better than they do.
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            Console.Error.WriteLine($"error: {CleanParseError(first.Message)} (see: newtone {path}{(path.Length > 0 ? " " : "")}--help)");
            return Commands.CommandRunner.BadInput;
        }
        if (IsDebugBuild && parse.CommandResult.Command.Name is "fit" or "demo" or "sweep" or "eval" or "render" or "process" or "compare" or "train")
            Console.Error.WriteLine("warning: this newtone is a Debug build, 12–15× slower than Release; build or run it with -c Release");
        return parse.Invoke();
    }

    /// <summary>True when this executable was compiled without optimisation (a Debug build).</summary>
    private static bool IsDebugBuild =>
        typeof(Program).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled);

    /// <summary>
    /// A parse error without .NET type names: "Cannot parse argument 'abc' for option '--x' as expected type
    /// 'System.Double'" becomes "--x: 'abc' is not a number".
    /// </summary>
    internal static string CleanParseError(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for (?:option|argument) '(.*)' as expected type '(.*)'\.?$");
        if (!m.Success) return message.ReplaceLineEndings(" ").Trim();
        string type = m.Groups[3].Value;
        string kind = type.Contains("Double") || type.Contains("Single") ? "a number (with a dot for decimals, e.g. 62.5)"
            : type.Contains("UInt") ? "a whole number of at least 0"
            : type.Contains("Int") ? "a whole number"
            : type.Contains("Boolean") ? "true or false" : "a valid value";
        return $"{m.Groups[2].Value}: '{m.Groups[1].Value}' is not {kind}";
    }

    /// <summary>
    /// Every floating-point option parses with the invariant culture and no thousands separators, so "62,5" is an
    /// error rather than 625, and "nan" or "inf" are refused.
    /// </summary>
    private static void InvariantNumbers(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option is Option<double> d) d.CustomParser = r => ParseNumber(r, option.Name) ?? 0;
            else if (option is Option<double?> n) n.CustomParser = r => ParseNumber(r, option.Name);
        }
        foreach (var sub in command.Subcommands) InvariantNumbers(sub);
    }

    private static double? ParseNumber(System.CommandLine.Parsing.ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 0) return null;
        string t = r.Tokens[^1].Value;
        if (double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            return v;
        r.AddError($"{name}: '{t}' is not a number (with a dot for decimals, e.g. 62.5)");
        return null;
    }

    /// <summary>The command tree (also used by the tests).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Newtone: fit, render and compare digital emulations of the LA-2A levelling amplifier.");
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(CompareModelsCommand.Create());
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
        root.Subcommands.Add(PluginCommand.Create());
        root.Subcommands.Add(BaselineCommand.Create());
        InvariantNumbers(root);
        return root;
    }
}
