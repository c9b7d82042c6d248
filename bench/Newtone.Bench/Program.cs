using System.Diagnostics;
using System.Globalization;
using Newtone.Audio;
using Newtone.Configuration;
using Newtone.Dynamics;
using Newtone.Fitting;
using Newtone.Runs;
using Newtone.Synthesis;

// Newtone benchmarks: plain timing harness (timings belong here, not in the tests).
//   dotnet run --project bench/Newtone.Bench -c Release                 all benchmarks
//   dotnet run --project bench/Newtone.Bench -c Release -- kernels      objective throughput only
//   dotnet run --project bench/Newtone.Bench -c Release -- fit          600 s default fit (wall time, peak RSS)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string what = args.Length > 0 ? args[0] : "all";
if (what == "fit-child") return Bench.FitChild(args[1], args[2]);
Console.WriteLine($"Newtone benchmarks on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
if (what is "all" or "kernels") Bench.Kernels();
if (what is "all" or "fit") Bench.Fit600();
return 0;

internal static class Bench
{
    private const int Sr = 44100;
    private static readonly CompressorSettings Truth = new(-21.9, 4.24, 2.86, 243, 0.34);

    private static (float[] X, float[] Y) Audio(double seconds)
    {
        var x = MusicGenerator.Generate(seconds, Sr, 1);
        var y = new float[x.Length];
        Compressor.Process(x, y, Truth.ToCoefficients(Sr));
        MusicGenerator.AddNoise(y, -70, 2);
        return (x, y);
    }

    private static double Best(int reps, Action a)
    {
        a();
        double best = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            a();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    public static void Kernels()
    {
        var (x, y) = Audio(600);
        var data = new TrainingSet([x], [y], Sr, FrameLayout.FromSeconds(Sr, 12, 1));
        var space = ParameterSpace.Default(Sr);
        var objective = new Objective(data, space);
        var theta = space.FromSettings(new CompressorSettings(-30, 3, 5, 150, 0));
        long processed = (long)data.Frames.Count * data.Layout.FrameLength;
        Console.WriteLine($"objective on 600 s of 44.1 kHz audio ({data.Frames.Count} frames of 12 s, {processed / 1e6:F1} M samples processed per evaluation):");
        foreach (var (name, mode) in new[] { ("forward", ObjectiveMode.Forward), ("inverse", ObjectiveMode.Inverse) })
        {
            var obj = new Objective(data, space, mode);
            double tl = Best(5, () => obj.Loss(theta));
            double td = Best(3, () => obj.Derivatives(theta));
            Console.WriteLine($"  {name,-8} loss alone:            {processed / tl / 1e6,7:F1} M samples/s  ({tl * 1000:F0} ms per evaluation)");
            Console.WriteLine($"  {name,-8} loss+gradient+Hessian: {processed / td / 1e6,7:F1} M samples/s  ({td * 1000:F0} ms per evaluation)   target ≥ 60 M samples/s");
        }
        var batch = Enumerable.Range(0, 8).Select(i => theta with { Threshold = -30 + i }).ToArray();
        double tb = Best(2, () => objective.Loss(batch));
        Console.WriteLine($"  8 θ at once, loss alone:          {8 * processed / tb / 1e6,7:F1} M samples/s");
        var out1 = new float[x.Length];
        double tr = Best(3, () => Compressor.Process(x, out1, Truth.ToCoefficients(Sr)));
        Console.WriteLine($"  rendering (one stream, one core):  {x.Length / tr / 1e6,7:F1} M samples/s");
    }

    public static void Fit600()
    {
        string dir = Path.Combine(Path.GetTempPath(), "newtone-bench-600");
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, "input.wav"), target = Path.Combine(dir, "target.wav");
        if (!File.Exists(target))
        {
            var (x, y) = Audio(600);
            WavFile.WriteFloat(input, new AudioBuffer(x, Sr));
            WavFile.WriteFloat(target, new AudioBuffer(y, Sr));
        }
        Console.WriteLine($"complete default fit of 600 s of 44.1 kHz audio (32-bit float WAVs in {dir}; a fresh process each run, WAV reading included):");
        for (int rep = 0; rep < 2; rep++)
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!, [typeof(Bench).Assembly.Location, "fit-child", dir, rep.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (!Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) psi.ArgumentList.RemoveAt(0);
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Console.Write(output);
        }
        Console.WriteLine("  targets: ≤ 5 s and ≤ 1 GB peak RSS");
    }

    public static int FitChild(string dir, string rep)
    {
        var sw = Stopwatch.StartNew();
        var config = FitConfig.Load(null, [$"ckpt_dir={Path.Combine(dir, "run" + rep)}",
            $"data.train.input={Path.Combine(dir, "input.wav")}", $"data.train.target={Path.Combine(dir, "target.wav")}"]);
        var outcome = FitJob.Run(config);
        double wall = sw.Elapsed.TotalSeconds;
        long peak = PeakRssBytes();
        var r = outcome.Result;
        Console.WriteLine($"  run {rep}: wall {wall:F2} s (fit {r.Seconds:F2} s, global stage {r.Search?.Seconds ?? 0:F2} s), {r.Iterations} iterations ({FitJob.StopName(r.Stop)}), " +
            $"ESR {100 * r.Esr:F4} %, peak RSS {peak / 1e6:F0} MB; {r.Settings}");
        return 0;
    }

    private static long PeakRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
