using System.Diagnostics;
using System.Runtime.InteropServices;
using Newtone.Plugin;

/// <summary>
/// The LV2 plugin's CPU cost through its C ABI: the Native AOT library loaded as a host loads it, 64-frame blocks,
/// per channel, in times real time at 44.1 kHz (targets: ≥ 2000× without the GRU, ≥ 300× with it).
/// </summary>
internal static unsafe class PluginBench
{
    public static void Run()
    {
        string? library = FindOrBuildLibrary("x86-64-v3", "linux-x64");
        string? wide = library is null ? null : FindOrBuildLibrary("x86-64-v4", "linux-x64-avx512");
        if (library is null)
        {
            Console.WriteLine("LV2 plugin: skipped (Native AOT needs clang and zlib1g-dev)");
            return;
        }
        const int sr = 44100, block = 64;
        var rng = new Rng(3);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = 0.4 * rng.Uniform(-0.6, 0.6);
        var audio = MusicGenerator.Generate(30, sr, 8);
        Console.WriteLine($"LV2 plugin through the C ABI ({library}), {block}-frame blocks, 30 s of music at {sr} Hz:");
        bool avx512 = File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Contains(" avx512vl", StringComparison.Ordinal));
        var cases = new List<(string, bool, int, int, bool)>
        {
            ("mono, no GRU", false, 1, 2000, false), ("stereo linked, no GRU", false, 2, 2000, false),
            ("mono, GRU on", true, 1, 300, false), ("stereo, GRU on", true, 2, 300, false),
        };
        if (avx512 && wide is not null)
        {
            cases.Add(("mono, GRU on, AVX-512", true, 1, 300, true));
            cases.Add(("stereo, GRU on, AVX-512", true, 2, 300, true));
        }
        Console.WriteLine($"  (portable x86-64-v3 build: the GRU in single precision with 256-bit gate vectors{(avx512 ? "; this CPU has AVX-512, which bundles use through the second, x86-64-v4 build: r|z in one 512-bit vector" : "")})");
        foreach (var (label, withGru, channels, target, useWide) in cases)
        {
            string bundle = Path.Combine(Path.GetTempPath(), $"newtone-bench-{(withGru ? "gru" : "plain")}{(useWide ? "-avx512" : "")}.lv2");
            var model = PluginModel.Published();
            model = new PluginModel { Knots = model.Knots, Gru = withGru ? p : null, Uri = $"urn:newtone:bench:{(withGru ? "gru" : "plain")}{(useWide ? ":avx512" : "")}" };
            Lv2Bundle.Write(bundle, model, library, useWide ? wide : null);
            nint lib = NativeLibrary.Load(Path.Combine(bundle, Lv2Bundle.LibraryFile));
            var get = (delegate* unmanaged<uint, Newtone.Plugin.Lv2Descriptor*>)NativeLibrary.GetExport(lib, "lv2_descriptor");
            var d = get(channels == 1 ? 0u : 1u);
            void* features = null;
            nint path = Marshal.StringToCoTaskMemUTF8(bundle);
            nint h = d->Instantiate(d, sr, (byte*)path, (void*)&features);
            var controls = (float*)NativeMemory.AllocZeroed(8 * sizeof(float));
            int first = 2 * channels;
            controls[0] = 0; controls[1] = 72; controls[2] = 0; controls[3] = 1;
            for (int k = 0; k < (withGru ? 4 : 3); k++) d->ConnectPort(h, (uint)(first + k), controls + k);
            var inBufs = new float*[channels];
            var outBufs = new float*[channels];
            for (int c = 0; c < channels; c++)
            {
                inBufs[c] = (float*)NativeMemory.Alloc(block * sizeof(float));
                outBufs[c] = (float*)NativeMemory.Alloc(block * sizeof(float));
            }
            for (int c = 0; c < channels; c++)
            {
                d->ConnectPort(h, (uint)c, inBufs[c]);
                d->ConnectPort(h, (uint)(channels + c), outBufs[c]);
            }
            d->Activate(h);
            double best = double.MaxValue, bestCpu = double.MaxValue;
            for (int rep = 0; rep < 4; rep++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int pos = 0; pos + block <= audio.Length; pos += block)
                {
                    for (int c = 0; c < channels; c++) new ReadOnlySpan<float>(audio, pos, block).CopyTo(new Span<float>(inBufs[c], block));
                    d->Run(h, block);
                }
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            }
            double seconds = audio.Length / (double)sr;
            double perChannel = seconds * channels / best;
            Console.WriteLine($"  {label,-24} {perChannel,8:F0}× real time per channel ({seconds * channels / best * sr / 1e6:F1} M samples/s; {seconds * channels / bestCpu,5:F0}× per CPU-second)   target ≥ {target}×");
            d->Cleanup(h);
            Marshal.FreeCoTaskMem(path);
        }
    }

    /// <summary>The library built from this checkout (artifacts/lv2/&lt;folder&gt;), published again (incrementally) each run.</summary>
    private static string? FindOrBuildLibrary(string isa, string folder)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string project = Path.Combine(dir.FullName, "src", "Newtone.Plugin", "Newtone.Plugin.csproj");
            if (!File.Exists(project)) continue;
            string cache = Path.Combine(dir.FullName, "artifacts", "lv2", folder);
            string so = Path.Combine(cache, "Newtone.Plugin.so");
            var psi = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", cache, "-nologo", $"-p:Lv2Isa={isa}"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var proc = Process.Start(psi)!;
            proc.StandardOutput.ReadToEnd();
            proc.WaitForExit();
            return proc.ExitCode == 0 && File.Exists(so) ? so : null;
        }
        return null;
    }
}
