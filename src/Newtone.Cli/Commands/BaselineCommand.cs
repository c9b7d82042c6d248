using System.CommandLine;
using System.Globalization;
using Newtone.Cli.Terminal;

namespace Newtone.Cli.Commands;

/// <summary>
/// <c>newtone baseline list [word]</c> and <c>newtone baseline render &lt;root&gt; --plugin &lt;uri&gt; --out &lt;dir&gt; …</c>:
/// docs/model.md §9's plugin baselines through any installed LV2 plugin.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create()
    {
        var cmd = new Command("baseline", "Plugin baselines: render a dataset through an installed LV2 compressor (docs/model.md §9).");

        var word = new Argument<string?>("word") { Description = "Only plugins whose URI or name contains this (e.g. compressor)", Arity = ArgumentArity.ZeroOrOne };
        var controls = new Option<bool>("--controls") { Description = "Also list every plugin's controls (shown anyway when one plugin matches)" };
        var list = new Command("list", "The installed LV2 plugins (LV2_PATH or the default folders): URI, name, audio ports and, with --controls, controls.") { word, controls };
        list.SetAction(parse => CommandRunner.Run(_ =>
        {
            List(parse.GetValue(word), Console.Out, parse.GetValue(controls));
            return CommandRunner.Ok;
        }));
        cmd.Subcommands.Add(list);

        var root = new Argument<string>("root") { Description = "Dataset root (SignalTrain layout)" };
        var plugin = new Option<string?>("--plugin") { Description = "The plugin's URI (see: newtone baseline list)" };
        var preset = new Option<string?>("--preset") { Description = $"A named mapping onto a packaged compressor: {string.Join(", ", BaselinePresets.All.Select(p => p.Name))}" };
        var outDir = new Option<string>("--out", "-o") { Description = "Output tree (mirrors the dataset's relative paths)", Required = true };
        var mode = new Option<string>("--mode") { Description = "compress, limit or both", DefaultValueFactory = _ => "both" };
        var pattern = new Option<string>("--pattern") { Description = "Targets whose name contains this (\"\" for all)", DefaultValueFactory = _ => "3c" };
        var set = new Option<string[]>("--set") { Description = "SYMBOL=VALUE: a control value for every file (repeatable)" };
        var peak = new Option<string?>("--peak") { Description = "SYMBOL[=lo:hi]: the control peak reduction 0…100 maps onto, linearly (default: its range)" };
        var modeControl = new Option<string?>("--mode-control") { Description = "SYMBOL=compress-value,limit-value: the control the mode sets" };
        var gain = new Option<double>("--gain") { Description = "Input gain before the plugin (dB)" };
        var outGain = new Option<double>("--out-gain") { Description = "Output gain after the plugin (dB)" };
        var block = new Option<string>("--block") { Description = "Block length: seconds (1s, 250ms) or frames (4096); no reset between blocks", DefaultValueFactory = _ => "1s" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing outputs" };
        var threads = new Option<int>("--threads") { Description = "Files rendered at once (default: one per core)" };
        var render = new Command("render", "Re-create every matching target by running its input through an LV2 plugin (32-bit float WAV), ready for compare.")
        {
            root, plugin, preset, outDir, mode, pattern, set, peak, modeControl, gain, outGain, block, force, threads,
        };
        render.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var options = Options(parse.GetValue(plugin), parse.GetValue(preset), SweepCommand.Modes(parse.GetValue(mode)!), parse.GetValue(pattern)!,
                parse.GetValue(set) ?? [], parse.GetValue(peak), parse.GetValue(modeControl), parse.GetValue(gain), parse.GetValue(outGain), parse.GetValue(block)!);
            Render(parse.GetValue(root)!, options, parse.GetValue(outDir)!, parse.GetValue(force), parse.GetValue(threads), Console.Out, cancel);
            return CommandRunner.Ok;
        }));
        cmd.Subcommands.Add(render);
        return cmd;
    }

    public static void List(string? word, TextWriter w, bool controls = false)
    {
        if (Lv2Catalog.Unavailable is { } why) throw new InputException(why);
        var plugins = Lv2Catalog.List(word);
        var c = CultureInfo.InvariantCulture;
        controls |= plugins.Count == 1;
        foreach (var p in plugins)
        {
            string presets = string.Join(", ", BaselinePresets.All.Where(x => x.PluginUri == p.Uri).Select(x => x.Name));
            w.WriteLine(p.Uri);
            w.WriteLine($"  {p.Name}: audio {p.AudioInputs} in, {p.AudioOutputs} out{(p.LatencyPort is not null ? ", reports latency" : "")}"
                + (presets.Length > 0 ? $"; preset {presets}" : "")
                + (p.MissingFeatures.Count > 0 ? $"; needs {string.Join(", ", p.MissingFeatures)} (not provided: cannot be rendered)" : ""));
            if (!controls) continue;
            foreach (var k in p.Controls)
                w.WriteLine(string.Create(c, $"    {k.Symbol,-14} {k.RangeText,-22} default {(k.Default is { } d ? d.ToString("G6", c) : "-"),-10} {k.Name}"));
        }
        w.WriteLine($"{plugins.Count} plugin(s){(string.IsNullOrEmpty(word) ? "" : $" matching '{word}'")} on {Lv2Catalog.SearchPath}"
            + (controls || plugins.Count == 0 ? "" : "; add --controls, or name one plugin, to see their controls"));
    }

    /// <summary>The render options from the command line: the preset first, then what the options give.</summary>
    public static BaselineOptions Options(string? pluginUri, string? presetName, La2aMode[] modes, string pattern, string[] sets,
        string? peak, string? modeControl, double gainDb, double outGainDb, string block)
    {
        var preset = presetName is null ? null : BaselinePresets.Find(presetName);
        string uri = pluginUri ?? preset?.PluginUri ?? throw new ConfigException("baseline render: give --plugin <uri> or --preset <name>");
        if (preset is not null && pluginUri is not null && pluginUri != preset.PluginUri)
            throw new ConfigException($"--preset {preset.Name} is for {preset.PluginUri}, not {pluginUri}: drop --plugin or the preset");
        var values = new List<KeyValuePair<string, double>>(preset?.Sets ?? []);
        foreach (var s in sets)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || !TryNumber(s[(eq + 1)..], out double v))
                throw new ConfigException($"--set: '{s}' is not SYMBOL=VALUE (e.g. ratio=4)");
            values.Add(new(s[..eq], v));
        }
        BaselinePeakMap? peakMap = preset?.Peak;
        if (peak is not null)
        {
            int eq = peak.IndexOf('=');
            if (eq < 0) peakMap = new BaselinePeakMap(peak);
            else
            {
                var range = peak[(eq + 1)..].Split(':');
                if (eq == 0 || range.Length != 2 || !TryNumber(range[0], out double lo) || !TryNumber(range[1], out double hi))
                    throw new ConfigException($"--peak: '{peak}' is not SYMBOL or SYMBOL=lo:hi (e.g. threshold=1:0.02)");
                peakMap = new BaselinePeakMap(peak[..eq], lo, hi);
            }
        }
        BaselineModeMap? modeMap = preset?.Mode;
        if (modeControl is not null)
        {
            int eq = modeControl.IndexOf('=');
            var v = eq > 0 ? modeControl[(eq + 1)..].Split(',') : [];
            if (v.Length != 2 || !TryNumber(v[0], out double cv) || !TryNumber(v[1], out double lv))
                throw new ConfigException($"--mode-control: '{modeControl}' is not SYMBOL=compress-value,limit-value (e.g. ratio=4,10)");
            modeMap = new BaselineModeMap(modeControl[..eq], cv, lv);
        }
        BaselineBlock blockLength;
        try { blockLength = BaselineBlock.Parse(block); }
        catch (InputException e) { throw new ConfigException("--block: " + e.Message); }
        return new BaselineOptions
        {
            PluginUri = uri, Modes = modes, Pattern = pattern, Sets = values, Peak = peakMap, Mode = modeMap,
            InputGainDb = gainDb, OutputGainDb = outGainDb, Block = blockLength,
        };
    }

    private static bool TryNumber(string s, out double v) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    public static (int Rendered, int Skipped) Render(string root, BaselineOptions options, string outDir, bool force, int threads,
        TextWriter w, CancellationToken cancel)
    {
        if (Lv2Catalog.Unavailable is { } why) throw new InputException(why);
        var index = SignalTrainIndex.Scan(root);
        Cli.Skipped(index.Problems, w);
        var plan = BaselineRenderer.Plan(index, options, outDir);
        foreach (var note in plan.Notes) w.WriteLine($"note: {note}");
        double hours = plan.Jobs.Sum(j => j.Pair.Seconds) / 3600;
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"rendering {plan.Jobs.Count} files ({hours:F2} h of audio) through {plan.Plugin.Name} <{plan.Plugin.Uri}>, blocks of {options.Block} → {outDir}"));
        var example = plan.Jobs[0];
        w.WriteLine($"  e.g. {Path.GetFileName(example.Pair.TargetPath)}: " + (example.Controls.Count == 0 ? "the plugin's defaults"
            : string.Join(", ", example.Controls.Select(k => string.Create(c, $"{k.Key}={k.Value:G6}")))));
        var bar = new ProgressBar("baseline", w);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (rendered, skipped) = BaselineRenderer.Render(plan, force, bar, threads, cancel);
        w.WriteLine(string.Create(c, $"rendered {rendered} file(s), skipped {skipped} existing (use --force to redo) in {clock.Elapsed.TotalSeconds:F1} s"));
        return (rendered, skipped);
    }
}
