using System.Globalization;

namespace Newtone.Study;

/// <summary>
/// Plugin baselines (docs/model.md §9, the reference's <c>vst_render</c> on Linux): every matching SignalTrain target
/// is re-created by running its input through an installed LV2 plugin, one fresh instance per file at the file's
/// sample rate, controls set per file from its mode and peak reduction, processed in blocks without resetting between
/// them, the plugin's reported latency removed, into a tree mirroring the dataset (32-bit float WAV) that
/// <c>compare</c> scores like any method folder.
/// </summary>
public static class BaselineRenderer
{
    /// <summary>
    /// Checks the plugin, its controls and the values against its ranges, and plans a job per matching target.
    /// Every problem is an <see cref="InputException"/> of one line, before anything is written.
    /// </summary>
    public static BaselinePlan Plan(SignalTrainIndex index, BaselineOptions options, string outDir)
    {
        PathGuard.OutputFolderOutside(outDir, index.Root, "dataset");
        var plugin = Check(options);
        string uri = plugin.Uri;
        var pairs = index.Pairs.Where(p => options.Modes.Contains(p.Mode)
            && Path.GetFileName(p.TargetPath).Contains(options.Pattern, StringComparison.OrdinalIgnoreCase)).ToList();
        if (pairs.Count == 0)
            throw new InputException($"{index.Root}: no targets match '{options.Pattern}' in {string.Join("/", options.Modes.Select(m => m.Name()))} mode");
        var notes = new List<string>();
        foreach (var p in pairs)
        {
            if (p.Channels != plugin.AudioInputs && p.Channels != 1)
                throw new InputException($"{p.InputPath}: {p.Channels} channels, but {uri} has {plugin.AudioInputs} audio input(s)");
            if (p.Channels > plugin.AudioOutputs)
                throw new InputException($"{p.InputPath}: {p.Channels} channels, but {uri} has {plugin.AudioOutputs} audio output(s)");
        }
        if (pairs.Any(p => p.Channels == 1) && plugin.AudioInputs > 1)
            notes.Add($"mono files are fed to each of the {plugin.AudioInputs} audio inputs of {plugin.Name}" + (plugin.AudioOutputs > 1 ? "; its first (left) output is kept" : ""));
        if (options.Peak is null)
            notes.Add("peak reduction is mapped onto no control: every file is rendered with the same settings");
        var jobs = pairs.Select(p => new BaselineJob(p, Path.Combine(outDir, p.RelativePath), Controls(options, plugin, p))).ToList();
        return new BaselinePlan(plugin, options, jobs, notes);
    }

    /// <summary>The plugin of the options, checked: installed, hostable, every control named exists and every value fits its range.</summary>
    public static Lv2PluginInfo Check(BaselineOptions options)
    {
        var plugin = Lv2Catalog.Find(options.PluginUri);
        string uri = plugin.Uri;
        if (plugin.MissingFeatures is { Count: > 0 } missing)
            throw new InputException($"{uri}: requires the LV2 feature {string.Join(", ", missing)}, which Newtone's host does not provide " +
                "(it provides urid:map, urid:unmap, options and bufsz:boundedBlockLength)");
        if (plugin.AudioInputs == 0)
            throw new InputException($"{uri}: {plugin.Name} has no audio input, so it cannot process recordings (an instrument or generator?)");
        if (plugin.AudioOutputs == 0)
            throw new InputException($"{uri}: {plugin.Name} has no audio output, so it renders nothing (an analyser?)");
        if (plugin.Ports.FirstOrDefault(p => p.Kind == Lv2PortKind.Other && !p.Optional) is { } odd)
            throw new InputException($"{uri}: port '{odd.Symbol}' is of a type Newtone's host cannot connect (audio, control, CV and atom ports are)");
        foreach (var (symbol, value) in options.Sets) CheckValue(plugin, symbol, value, "");
        if (options.Peak is { } peak)
        {
            var c = ControlOf(plugin, peak.Symbol);
            if (peak.Low is null && peak.High is null && (c.Minimum is null || c.Maximum is null))
                throw new InputException($"{uri}: control '{c.Symbol}' states no range, so peak reduction needs explicit low and high values for it");
            CheckValue(plugin, peak.Symbol, peak.ValueAt(0, c), " (at peak reduction 0)");
            CheckValue(plugin, peak.Symbol, peak.ValueAt(100, c), " (at peak reduction 100)");
        }
        if (options.Mode is { } mode)
        {
            CheckValue(plugin, mode.Symbol, mode.Compress, " (compress)");
            CheckValue(plugin, mode.Symbol, mode.Limit, " (limit)");
        }
        if (!double.IsFinite(options.InputGainDb) || !double.IsFinite(options.OutputGainDb) || Math.Abs(options.InputGainDb) > 120 || Math.Abs(options.OutputGainDb) > 120)
            throw new InputException(FormattableString.Invariant($"{uri}: gains of {options.InputGainDb} dB in and {options.OutputGainDb} dB out: each must lie within ±120 dB"));
        return plugin;
    }

    private static Lv2Control ControlOf(Lv2PluginInfo plugin, string symbol) =>
        plugin.Control(symbol) ?? throw new InputException(
            $"{plugin.Uri}: no control input '{symbol}'; its controls are {(plugin.Controls.Count == 0 ? "none" : string.Join(", ", plugin.Controls.Select(c => c.Symbol)))}");

    private static void CheckValue(Lv2PluginInfo plugin, string symbol, double value, string where)
    {
        var c = ControlOf(plugin, symbol);
        if (!double.IsFinite(value) || !c.Accepts(value))
            throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{plugin.Uri}: {symbol} = {value:G6}{where} is outside the control's range {c.RangeText}"));
    }

    private static List<KeyValuePair<string, double>> Controls(BaselineOptions o, Lv2PluginInfo plugin, SignalTrainPair p)
    {
        var list = new List<KeyValuePair<string, double>>(o.Sets);
        if (o.Peak is { } peak) list.Add(new(peak.Symbol, peak.ValueAt(p.PeakReduction, plugin.Control(peak.Symbol)!)));
        if (o.Mode is { } mode) list.Add(new(mode.Symbol, mode.ValueFor(p.Mode)));
        return list;
    }

    /// <summary>
    /// Renders the plan's jobs (files in parallel, one plugin instance per file and worker, each streamed); existing
    /// outputs are skipped unless <paramref name="force"/>. <paramref name="progress"/> receives the frames done over
    /// all jobs, and each finished file. Returns the number of files rendered and skipped.
    /// </summary>
    public static (int Rendered, int Skipped) Render(BaselinePlan plan, bool force, IProgress<WorkProgress>? progress = null,
        int maxThreads = 0, CancellationToken cancel = default)
    {
        return FileBatch.Run(plan.Jobs, j => j.Output, j => j.Pair, force, (job, frames, c) => RenderFile(plan, job, frames, c),
            progress, maxThreads, cancel);
    }

    /// <summary>
    /// Renders one job through a fresh instance: returns the frames written (the input's length). The plugin's
    /// reported latency (read after the first block) is removed: its first frames are dropped and as many frames of
    /// silence are fed after the input.
    /// </summary>
    public static long RenderFile(BaselinePlan plan, BaselineJob job, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        var plugin = plan.Plugin;
        PathGuard.OutputIsNotInput(job.Output, job.Pair.InputPath, job.Pair.TargetPath);
        using var reader = new WavStreamReader(job.Pair.InputPath);
        int ch = reader.Info.Channels, rate = reader.Info.SampleRate;
        if (ch != plugin.AudioInputs && ch != 1)
            throw new InputException($"{job.Pair.InputPath}: {ch} channels, but {plugin.Uri} has {plugin.AudioInputs} audio input(s)");
        if (ch > plugin.AudioOutputs)
            throw new InputException($"{job.Pair.InputPath}: {ch} channels, but {plugin.Uri} has {plugin.AudioOutputs} audio output(s)");
        int block = plan.Options.Block.FramesAt(rate);
        using var instance = new Lv2Instance(plugin, rate, block);
        foreach (var (symbol, value) in job.Controls) instance.SetControl(plugin.Control(symbol)!.Index, (float)value);
        instance.Activate();
        var ins = plugin.Ports.Where(p => p.Kind == Lv2PortKind.AudioIn).Select(p => p.Index).ToArray();
        var outs = plugin.Ports.Where(p => p.Kind == Lv2PortKind.AudioOut).Select(p => p.Index).ToArray();
        float gainIn = (float)Math.Pow(10, plan.Options.InputGainDb / 20), gainOut = (float)Math.Pow(10, plan.Options.OutputGainDb / 20);

        using var writer = new WavStreamWriter(job.Output, rate, ch);
        var buf = new float[block * ch];
        var outBuf = new float[block * ch];
        long read = 0, written = 0;
        int skip = -1;   // frames of latency still to drop; unknown before the first run
        void Process(int n, bool silence)
        {
            for (int k = 0; k < ins.Length; k++)
            {
                var dst = instance.Audio(ins[k]);
                if (silence) { dst[..n].Clear(); continue; }
                int src = ch == 1 ? 0 : k;
                for (int i = 0; i < n; i++) dst[i] = buf[i * ch + src] * gainIn;
            }
            instance.Run(n);
            if (skip < 0) skip = instance.Latency;
            int drop = Math.Min(skip, n);
            skip -= drop;
            int keep = (int)Math.Min(n - drop, read - written);
            if (keep <= 0) return;
            for (int c = 0; c < ch; c++)
            {
                var src = instance.Audio(outs[c]);
                for (int i = 0; i < keep; i++) outBuf[i * ch + c] = src[drop + i] * gainOut;
            }
            writer.WriteInterleaved(outBuf.AsSpan(0, keep * ch));
            written += keep;
        }
        int got;
        while ((got = reader.ReadInterleaved(buf)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            read += got;
            Process(got, silence: false);
            progress?.Report(read);
        }
        // The latency's tail: silence until every input frame has its output.
        while (written < read)
        {
            cancel.ThrowIfCancellationRequested();
            Process((int)Math.Min(block, read - written + Math.Max(skip, 0)), silence: true);
        }
        writer.Commit();
        return written;
    }
}
