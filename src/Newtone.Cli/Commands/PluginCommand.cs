using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Newtone.Cli.Commands;

/// <summary><c>newtone plugin build --out &lt;Name&gt;.lv2 [--runs | --run] [--gru] [--name] [--uri] [--library]</c>: an LV2 bundle of the emulation.</summary>
internal static class PluginCommand
{
    public static Command Create()
    {
        var cmd = new Command("plugin", "Real-time LV2 plugins of the emulation (Linux hosts: Ardour, Carla, Qtractor, REAPER, Mixbus).");
        var outDir = new Option<string>("--out", "-o") { Description = "Bundle folder to write (<Name>.lv2)", Required = true };
        var runs = new Option<string?>("--runs") { Description = "Bake a sweep's runs (both modes if present) instead of the published LA-2A fits" };
        var run = new Option<string?>("--run") { Description = "Bake one fitted run (no Peak Reduction knob)" };
        var gru = new Option<string?>("--gru") { Description = "Bundle a GRU make-up gain checkpoint (adds a GRU on/off control)" };
        var name = new Option<string?>("--name") { Description = "Plugin name shown by hosts" };
        var uri = new Option<string?>("--uri") { Description = "URI base (the plugins are <uri>#mono and <uri>#stereo)" };
        var library = new Option<string?>("--library") { Description = "A built Newtone LV2 library (default: shipped beside newtone, or built from the source checkout)" };
        var build = new Command("build", "Write an LV2 bundle: the Native AOT library, manifest.ttl, the plugins' Turtle and the model.")
        {
            outDir, runs, run, gru, name, uri, library,
        };
        build.SetAction(parse => CommandRunner.Run(cancel =>
        {
            var model = Model(parse.GetValue(runs), parse.GetValue(run), parse.GetValue(gru), parse.GetValue(name), parse.GetValue(uri));
            Build(parse.GetValue(outDir)!, model, parse.GetValue(library), Console.Out);
            return CommandRunner.Ok;
        }));
        cmd.Subcommands.Add(build);
        return cmd;
    }

    public static PluginModel Model(string? runsDir, string? runDir, string? gruPath, string? name, string? uri)
    {
        if (runsDir is not null && runDir is not null) throw new ConfigException("--runs and --run: give one of them");
        if (uri is not null && (uri.Length == 0 || uri.Any(char.IsWhiteSpace) || uri.Contains('#') || uri.Contains('>') || !uri.Contains(':')))
            throw new ConfigException($"--uri: '{uri}' is not a URI base (e.g. https://example.org/plugins/la2a or urn:me:la2a; no '#', no spaces)");
        var published = PluginModel.Published();
        var knots = published.Knots;
        CompressorSettings? single = null;
        OptoSettings? singleOpto = null;
        var optoKnots = new Dictionary<La2aMode, List<OptoSettings>>();
        double lookAhead = 0;
        string defaultName = "Newtone LA-2A";
        if (runsDir is not null)
        {
            var all = RunSet.Load(runsDir, null, out _);
            knots = [];
            foreach (var group in all.GroupBy(r => r.Mode))
            {
                var runs = group.ToList();
                if (runs.Count < 2) throw new InputException($"{runsDir}: needs at least two finished {group.Key.Name()} runs to interpolate between");
                SweepEvaluation.CheckConsistent(runs);
                runs = runs.OrderBy(r => r.PeakReduction).ToList();
                knots[group.Key] = runs.Select(r => (r.PeakReduction, r.Parameters.Settings)).ToList();
                if (runs[0].Parameters.Opto is not null) optoKnots[group.Key] = runs.Select(r => r.Parameters.Opto!).ToList();
            }
            if (knots.Count == 0) throw new InputException($"{runsDir}: no finished runs (la2a_<peak>/params.json)");
            if (optoKnots.Count != 0 && optoKnots.Count != knots.Count)
                throw new InputException($"{runsDir}: one mode was fitted with the opto model and the other with ff5; a plugin runs one model");
            var looks = all.Select(r => r.Parameters.Model.LookAheadMs).Distinct().ToList();
            if (looks.Count > 1) throw new InputException($"{runsDir}: the runs differ in look-ahead (compressor.delay); a plugin has one latency");
            lookAhead = looks[0];
            defaultName = "Newtone LA-2A (" + Path.GetFileName(Path.GetFullPath(runsDir).TrimEnd('/')) + ")";
        }
        else if (runDir is not null)
        {
            var p = RunParameters.Load(runDir);
            single = p.Settings;
            singleOpto = p.Opto;
            lookAhead = p.Model.LookAheadMs;
            knots = [];
            defaultName = "Newtone " + Path.GetFileName(Path.GetFullPath(runDir).TrimEnd('/'));
        }
        double[]? weights = null;
        int gruRate = 44100;
        if (gruPath is not null)
        {
            var c = GruCheckpoint.Load(gruPath);
            weights = c.Model().Parameters;
            gruRate = c.SampleRate;
        }
        return new PluginModel
        {
            Name = name ?? defaultName,
            Uri = uri ?? "urn:newtone:la2a",
            Knots = knots,
            Single = single,
            SingleOpto = singleOpto,
            OptoKnots = optoKnots,
            LookAheadMs = lookAhead,
            Gru = weights,
            GruSampleRate = gruRate,
        };
    }

    public static void Build(string outDir, PluginModel model, string? library, TextWriter w)
    {
        if (!outDir.TrimEnd('/').EndsWith(".lv2", StringComparison.Ordinal))
            throw new ConfigException($"--out: '{outDir}' must be a bundle folder whose name ends in .lv2 (e.g. NewtoneLA2A.lv2)");
        var (portable, avx512) = Libraries(library, w);
        Lv2Bundle.Write(outDir, model, portable, avx512);
        var (mono, stereo) = Lv2Bundle.Uris(model);
        w.WriteLine($"wrote {outDir}: {mono} (mono) and {stereo} (stereo, linked)");
        foreach (var p in model.Ports(2).Where(p => p.Kind is PortKind.ControlIn or PortKind.ControlOut))
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  control {p.Symbol,-15} {p.Name}{(p.Latency ? " (output: latency in frames)" : $", {p.Min:G}…{p.Max:G}, default {p.Default:G}{(p.Unit is null ? "" : " " + (p.Unit == "db" ? "dB" : p.Unit))}")}"));
        w.WriteLine($"install: cp -r {outDir} ~/.lv2/   (or add the folder that holds the bundle to LV2_PATH)");
    }

    /// <summary>
    /// The Native AOT libraries (portable x86-64-v3, and the AVX-512 build used instead where the CPU has it): given;
    /// built from the source checkout this newtone runs from (cached in artifacts/lv2/ and rebuilt when a source file is
    /// newer); or shipped beside an installed newtone (lv2/linux-x64/, lv2/linux-x64-avx512/).
    /// </summary>
    private static (string Portable, string? Avx512) Libraries(string? given, TextWriter w)
    {
        given ??= Environment.GetEnvironmentVariable("NEWTONE_LV2_LIBRARY");
        if (given is not null)
            return File.Exists(given) ? (Path.GetFullPath(given), null) : throw new InputException($"{given}: file not found (the LV2 library)");
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new InputException($"the LV2 plugin is built for Linux x64; this is {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}");
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string project = Path.Combine(d.FullName, "src", "Newtone.Plugin", "Newtone.Plugin.csproj");
            if (!File.Exists(project)) continue;
            var newest = new[] { "Newtone.Plugin", "Newtone.Dsp" }
                .SelectMany(p => Directory.EnumerateFiles(Path.Combine(d.FullName, "src", p), "*.cs*", SearchOption.TopDirectoryOnly))
                .Max(File.GetLastWriteTimeUtc);
            string Build(string isa, string folder)
            {
                string cache = Path.Combine(d.FullName, "artifacts", "lv2", folder);
                string built = Path.Combine(cache, "Newtone.Plugin.so");
                if (File.Exists(built) && File.GetLastWriteTimeUtc(built) >= newest) return built;
                w.WriteLine($"building the LV2 library ({isa}) with Native AOT (once; about 15 s)…");
                var psi = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", cache, "-nologo", $"-p:Lv2Isa={isa}"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var p = Process.Start(psi)!;
                var err = p.StandardError.ReadToEndAsync();
                string output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0 || !File.Exists(built))
                {
                    string first = (output + err.Result).Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? "see dotnet publish";
                    throw new IOException($"building the LV2 library failed (Native AOT needs clang and zlib1g-dev: apt-get install clang zlib1g-dev): {first}");
                }
                return built;
            }
            return (Build("x86-64-v3", "linux-x64"), Build("x86-64-v4", "linux-x64-avx512"));
        }
        string shipped = Path.Combine(AppContext.BaseDirectory, "lv2", "linux-x64", "Newtone.Plugin.so");
        string shippedWide = Path.Combine(AppContext.BaseDirectory, "lv2", "linux-x64-avx512", "Newtone.Plugin.so");
        if (File.Exists(shipped)) return (shipped, File.Exists(shippedWide) ? shippedWide : null);
        throw new InputException("no LV2 library: give --library <Newtone.Plugin.so> (built with dotnet publish src/Newtone.Plugin -c Release -r linux-x64)");
    }
}
