using System.CommandLine;
using System.Globalization;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone process &lt;in.wav&gt; &lt;out.wav&gt; (--run &lt;dir&gt; | --peak-reduction &lt;p&gt; --mode …)</c>.</summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Audio to process (WAV or MP3)" };
        var output = new Argument<string>("output.wav") { Description = "Result (32-bit float WAV)" };
        var run = new Option<string?>("--run") { Description = "A fitted run (its directory or params.json)" };
        var peak = new Option<double?>("--peak-reduction") { Description = "LA-2A peak reduction, 40…100 (interpolated preset)" };
        var mode = new Option<string?>("--mode") { Description = "compress or limit (with --peak-reduction)" };
        var runs = new Option<string?>("--runs") { Description = "Use a sweep's runs instead of the built-in published presets" };
        var noMakeUp = new Option<bool>("--no-make-up") { Description = "Without make-up gain" };
        var unlinked = new Option<bool>("--unlinked") { Description = "Compress each channel on its own (default: one gain from the loudest channel)" };
        var gru = new Option<string?>("--gru") { Description = "GRU checkpoint: compressor without make-up, then the GRU make-up gain" };
        var cmd = new Command("process", "Apply the LA-2A emulation to any WAV file.")
        {
            input, output, run, peak, mode, runs, noMakeUp, unlinked, gru,
        };
        cmd.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var model = Resolve(parse.GetValue(run), parse.GetValue(peak), parse.GetValue(mode), parse.GetValue(runs), Console.Out);
            string inputPath = parse.GetValue(input)!;
            var gruModel = parse.GetValue(gru) is { } g ? GruCheckpoint.Load(g).ModelFor(WavFile.ReadInfo(inputPath).SampleRate, inputPath) : null;
            if (parse.GetValue(noMakeUp) || gruModel is not null) model = model.WithoutMakeUp();
            Run(inputPath, parse.GetValue(output)!, model, !parse.GetValue(unlinked), Console.Out, cancel, gruModel);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    public static CompressorModel Resolve(string? run, double? peak, string? modeText, string? runsDir, TextWriter w)
    {
        if (run is not null)
        {
            if (peak is not null || runsDir is not null) throw new ConfigException("--run: give either --run or --peak-reduction (with --mode and optionally --runs)");
            var p = RunParameters.Load(run);
            w.WriteLine($"model of {run}: {p.Model}");
            return p.Model;
        }
        if (peak is not { } pr) throw new ConfigException("--peak-reduction or --run: say which settings to apply");
        var mode = La2aModes.Parse(modeText) ?? throw new ConfigException($"--mode: expected compress or limit with --peak-reduction, got '{modeText}'");
        La2aPresets presets;
        string source;
        if (runsDir is not null)
        {
            var runs = RunSet.Load(runsDir, mode, out _).Where(r => r.Mode == mode).ToList();
            if (runs.Count < 2) throw new InputException($"{runsDir}: needs at least two finished {mode.Name()} runs to interpolate between");
            SweepEvaluation.CheckConsistent(runs);
            presets = new La2aPresets(runs.Select(r => (r.PeakReduction, r.Parameters.Model)));
            source = $"the runs in {runsDir}";
        }
        else
        {
            presets = La2aPresets.Published(mode);
            source = "the published LA-2A fits (Yu & Fazekas 2025)";
        }
        if (!(pr >= presets.Min && pr <= presets.Max))
            throw new ConfigException(string.Create(CultureInfo.InvariantCulture, $"--peak-reduction: {pr:G} is outside {presets.Min:G}…{presets.Max:G} covered by {source}"));
        var s = presets.At(pr);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode.Name()} {pr:G} from {source}: {s}"));
        return s;
    }

    public static void Run(string input, string output, CompressorModel model, bool linked, TextWriter w, CancellationToken cancel,
        GruModel? gru = null)
    {
        PathGuard.OutputIsNotInput(output, input);
        var info = WavFile.ReadInfo(input);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long frames = FileRenderer.Render(input, output, model, linked, cancel: cancel, gru: gru);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {frames / (double)info.SampleRate:F2} s × {info.Channels} ch{(info.Channels > 1 ? linked ? " (linked)" : " (unlinked)" : "")}{(gru is null ? "" : " + GRU")} in {clock.Elapsed.TotalSeconds:F2} s"));
    }
}
