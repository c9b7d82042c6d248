using System.Diagnostics;
using System.Globalization;

// Newtone benchmarks: plain timing harness (timings belong here, not in the tests).
//   dotnet run --project bench/Newtone.Bench -c Release                 all benchmarks
//   dotnet run --project bench/Newtone.Bench -c Release -- kernels      objective throughput only (ff5 and opto)
//   dotnet run --project bench/Newtone.Bench -c Release -- render       the rendering line alone (Compressor.Process, CompressorProcessor)
//   dotnet run --project bench/Newtone.Bench -c Release -- opto         the opto objective alone, on 177 s (16 frames)
//   dotnet run --project bench/Newtone.Bench -c Release -- fit          600 s default fit (wall time, peak RSS)
//   dotnet run --project bench/Newtone.Bench -c Release -- workflows    13-level sweep, rendering, evaluation
//   dotnet run --project bench/Newtone.Bench -c Release -- gru          GRU training and rendering throughput
//   dotnet run --project bench/Newtone.Bench -c Release -- gru-core     GRU training on one core (ns per row-sample)
//   dotnet run --project bench/Newtone.Bench -c Release -- plugin       the LV2 plugin through its C ABI (builds the library once)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string what = args.Length > 0 ? args[0] : "all";
if (what == "fit-child") return Bench.FitChild(args[1], args[2]);
Console.WriteLine($"Newtone benchmarks on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
if (what is "all" or "kernels") Bench.Kernels();
if (what is "opto") Bench.Opto();
if (what is "render") Bench.Render();
if (what is "all" or "kernels" or "kernel-core") Bench.KernelCore();
if (what is "all" or "fit") Bench.Fit600();
if (what is "all" or "workflows") Bench.Workflows();
if (what is "all" or "gru") Bench.Gru();
if (what is "all" or "gru" or "gru-core") Bench.GruCore();
if (what is "all" or "plugin") PluginBench.Run();
if (what is "all" or "baseline") BaselineBench.Run();
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

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserMicro, SystemSec, SystemMicro;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVCsw, NIvCsw;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, out RUsage usage);

    /// <summary>CPU seconds of the whole process so far (user + system, microsecond resolution; Linux).</summary>
    private static double CpuSeconds()
    {
        if (!OperatingSystem.IsLinux() || GetRUsage(0, out var u) != 0) return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return u.UserSec + u.SystemSec + (u.UserMicro + u.SystemMicro) * 1e-6;
    }

    /// <summary>
    /// Best wall time and best CPU time (all threads) of several runs. On a machine shared with other work the wall
    /// time grows with the time the cores spend on others; the CPU time counts only this process's share, so
    /// samples per CPU-second is the steadier figure (per core; two threads scaling perfectly give twice it).
    /// </summary>
    private static (double Wall, double Cpu) BestBoth(int reps, Action a)
    {
        a();
        double wall = double.MaxValue, cpu = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            double c0 = CpuSeconds();
            var sw = Stopwatch.StartNew();
            a();
            wall = Math.Min(wall, sw.Elapsed.TotalSeconds);
            cpu = Math.Min(cpu, CpuSeconds() - c0);
        }
        return (wall, cpu);
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
        Console.WriteLine($"  kernel width chosen at start-up: {Objective.DefaultVectorBits} bits (Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated})");
        int[] widths = Objective.DefaultVectorBits == 512 ? [256, 512] : [256];
        foreach (var (name, mode) in new[] { ("forward", ObjectiveMode.Forward), ("inverse", ObjectiveMode.Inverse) })
        {
            foreach (int bits in widths)
            {
                // Old and new widths side by side in one process, each timed as the best of several runs.
                var obj = new Objective(data, space, mode) { VectorBits = bits };
                var (tl, cl) = BestBoth(5, () => obj.Loss(theta));
                var (td, cd) = BestBoth(3, () => obj.Derivatives(theta));
                // The targets are for the width that runs here; the other line is the path for processors without AVX-512.
                bool runs = bits == Objective.DefaultVectorBits;
                string lossTarget = runs ? "target ≥ 500 M samples/s" : "(the path for processors without AVX-512; not the one that runs here)";
                string derivTarget = runs ? "target ≥ 200 M samples/s" : "(the path for processors without AVX-512)";
                Console.WriteLine($"  {name,-8} {bits} bits loss alone:            {processed / tl / 1e6,7:F1} M samples/s  ({tl * 1000:F0} ms per evaluation; {processed / cl / 1e6,6:F1} M per CPU-second)   {lossTarget}");
                Console.WriteLine($"  {name,-8} {bits} bits loss+gradient+Hessian: {processed / td / 1e6,7:F1} M samples/s  ({td * 1000:F0} ms per evaluation; {processed / cd / 1e6,6:F1} M per CPU-second)   {derivTarget}");
            }
        }
        foreach (int threads in new[] { 1, 2 })
        {
            var obj = new Objective(data, space) { MaxThreads = threads };
            var (td, cd) = BestBoth(3, () => obj.Derivatives(theta));
            Console.WriteLine($"  forward {obj.VectorBits} bits loss+gradient+Hessian on {threads} thread{(threads > 1 ? "s" : "")}: {processed / td / 1e6,7:F1} M samples/s  ({processed / cd / 1e6,6:F1} M per CPU-second)");
        }
        Opto(data, processed);
        var batch = Enumerable.Range(0, 8).Select(i => theta with { Threshold = -30 + i }).ToArray();
        var (tb, cb) = BestBoth(3, () => objective.Loss(batch));
        var (t1, c1) = BestBoth(3, () => { foreach (var th in batch) objective.Loss(th); });
        Console.WriteLine($"  8 θ at once, loss alone ({objective.VectorBits} bits, θ per lane sharing each frame): {8 * processed / tb / 1e6,7:F1} M samples/s ({8 * processed / cb / 1e6:F1} M per CPU-second);" +
            $" the same 8 θ one at a time (frame per lane): {8 * processed / t1 / 1e6,7:F1} M samples/s ({8 * processed / c1 / 1e6:F1} M per CPU-second)");
        Rendering(x, 3);
    }

    /// <summary>The rendering line alone, on 600 s of audio: the whole-buffer pass and the streaming processor.</summary>
    public static void Render()
    {
        var x = MusicGenerator.Generate(600, Sr, 1);
        Rendering(x, 7);
        // Chunks wholly below the threshold skip the static curve; at −60 dB nearly every chunk evaluates it (the worst case).
        var deep = new float[x.Length];
        var (td, cd) = BestBoth(7, () => Compressor.Process(x, deep, (Truth with { ThresholdDb = -60 }).ToCoefficients(Sr)));
        Console.WriteLine($"  rendering at threshold −60 dB:       {x.Length / td / 1e6,7:F1} M samples/s  ({x.Length / cd / 1e6:F1} M per CPU-second)");
        var stereo = new float[2 * x.Length];
        for (int i = 0; i < x.Length; i++) { stereo[2 * i] = x[i]; stereo[2 * i + 1] = -0.5f * x[(i + 4410) % x.Length]; }
        var out2 = new float[stereo.Length];
        var model = new CompressorModel(Truth);
        foreach (bool linked in new[] { true, false })
        {
            var p = new CompressorProcessor(model, Sr, 2, linked);
            var (ts, cs) = BestBoth(5, () => { for (int i = 0; i < stereo.Length; i += 2 * 512) p.Process(stereo.AsSpan(i, Math.Min(2 * 512, stereo.Length - i)), out2.AsSpan(i)); p.Reset(); });
            Console.WriteLine($"  stereo {(linked ? "linked  " : "unlinked")} processor, blocks of 512 frames: {stereo.Length / ts / 1e6,7:F1} M samples/s  ({stereo.Length / cs / 1e6:F1} M per CPU-second)");
        }
        var opto = new float[x.Length];
        var optoModel = model with { Opto = new OptoSettings(6, 0.3, 300, 900, 0.5) };
        var (to, co) = BestBoth(3, () => Compressor.Process(x, opto, optoModel, Sr));
        Console.WriteLine($"  opto model (one stream):             {x.Length / to / 1e6,7:F1} M samples/s  ({x.Length / co / 1e6:F1} M per CPU-second)");
        var look = new CompressorProcessor(model with { LookAheadMs = 1 }, Sr);
        var out1 = new float[x.Length];
        var (tl, cl) = BestBoth(5, () => { look.Process(x, out1); look.Reset(); });
        Console.WriteLine($"  mono with 1 ms look-ahead (processor):        {x.Length / tl / 1e6,7:F1} M samples/s  ({x.Length / cl / 1e6:F1} M per CPU-second)");
    }

    private static void Rendering(float[] x, int reps)
    {
        var out1 = new float[x.Length];
        var (tr, cr) = BestBoth(reps, () => Compressor.Process(x, out1, Truth.ToCoefficients(Sr)));
        Console.WriteLine($"  rendering (one stream, one core):  {x.Length / tr / 1e6,7:F1} M samples/s  ({x.Length / cr / 1e6:F1} M per CPU-second)   target ≥ 250 M samples/s");
    }

    /// <summary>
    /// One core, one pack of eight frames (two packs of four at 256 bits): nanoseconds per lane-sample of each kernel,
    /// best of many runs, so that the widths compare with little noise from other work on the machine.
    /// </summary>
    public static void KernelCore()
    {
        var (x, y) = Audio(60);
        var data = new TrainingSet([x], [y], Sr, FrameLayout.FromSeconds(Sr, 6, 1));
        var space = ParameterSpace.Default(Sr);
        var theta = space.FromSettings(new CompressorSettings(-30, 3, 5, 150, 0));
        int[] frames = [0, 1, 2, 3, 4, 5, 6, 7];
        long processed = 8L * data.Layout.FrameLength;
        Console.WriteLine($"one core, 8 frames of 6 s per evaluation (CPU ns per sample, best of 9; lower is better):");
        int[] widths = Objective.DefaultVectorBits == 512 ? [256, 512] : [256];
        foreach (var (name, mode) in new[] { ("forward", ObjectiveMode.Forward), ("inverse", ObjectiveMode.Inverse) })
        {
            var line = $"  {name,-8}";
            foreach (int bits in widths)
            {
                var obj = new Objective(data, space, mode) { VectorBits = bits, MaxThreads = 1 };
                var (_, cl) = BestBoth(9, () => obj.Loss([theta], frames));
                var (_, cd) = BestBoth(9, () => obj.Derivatives([theta], frames));
                line += $"   {bits} bits: loss {cl / processed * 1e9:F2} ns, loss+gradient+Hessian {cd / processed * 1e9:F2} ns";
            }
            Console.WriteLine(line);
        }
        if (Objective.DefaultVectorBits == 512)
        {
            var batch = Enumerable.Range(0, 8).Select(i => theta with { Threshold = -30 + i }).ToArray();
            var obj = new Objective(data, space) { MaxThreads = 1 };
            double shared = double.MaxValue, single = double.MaxValue;
            for (int rep = 0; rep < 3; rep++)
            {
                shared = Math.Min(shared, BestBoth(3, () => obj.Loss(batch, frames)).Cpu);
                single = Math.Min(single, BestBoth(3, () => { foreach (var th in batch) obj.Loss([th], frames); }).Cpu);
            }
            Console.WriteLine($"  forward 8 θ × 8 frames, loss alone: θ per lane sharing a frame {shared / (8 * processed) * 1e9:F2} ns, frame per lane {single / (8 * processed) * 1e9:F2} ns");
        }
    }

    /// <summary>The opto kernels alone (<c>-- opto</c>), on 177 s of audio (16 frames: four full packs).</summary>
    public static void Opto()
    {
        var (x, y) = Audio(177);
        var data = new TrainingSet([x], [y], Sr, FrameLayout.FromSeconds(Sr, 12, 1));
        long processed = (long)data.Frames.Count * data.Layout.FrameLength;
        Console.WriteLine($"opto objective on 177 s of 44.1 kHz audio ({processed / 1e6:F1} M samples processed per evaluation):");
        Opto(data, processed);
    }

    /// <summary>The opto model (docs/model.md §11): nine carried parameters, 55 pre-filters, 112 sums per frame.</summary>
    private static void Opto(TrainingSet data, long processed)
    {
        var optoSpace = ParameterSpace.Default(Sr, ModelKind.Opto);
        var optoTheta = optoSpace.FromSettings(new CompressorSettings(-30, 3, 5, 150, 0), new OptoSettings(6, 0.3, 1000, 2000, 0.5), out _);
        foreach (var (name, mode) in new[] { ("forward", ObjectiveMode.Forward), ("inverse", ObjectiveMode.Inverse) })
        {
            var obj = new Objective(data, optoSpace, mode);
            double tl = Best(3, () => obj.Loss(optoTheta));
            double td = Best(3, () => obj.Derivatives(optoTheta));
            Console.WriteLine($"  opto {name,-8} loss alone:            {processed / tl / 1e6,7:F1} M samples/s  ({tl * 1000:F0} ms per evaluation)");
            Console.WriteLine($"  opto {name,-8} loss+gradient+Hessian: {processed / td / 1e6,7:F1} M samples/s  ({td * 1000:F0} ms per evaluation)   target ≥ 30 M samples/s");
            OneThread(new Objective(data, optoSpace, mode) { MaxThreads = 1 }, optoTheta, processed, "opto " + name);
        }
    }

    /// <summary>
    /// Loss+gradient+Hessian on one thread, timed by the process's CPU time: what one core does, much less disturbed by
    /// other processes on a shared machine than wall time (which they stretch).
    /// </summary>
    private static void OneThread(Objective one, Theta theta, long processed, string name)
    {
        double cpu = double.MaxValue;
        for (int rep = 0; rep < 3; rep++)
        {
            var t0 = Process.GetCurrentProcess().TotalProcessorTime;
            one.Derivatives(theta);
            cpu = Math.Min(cpu, (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalSeconds);
        }
        Console.WriteLine($"  {name,-13} loss+gradient+Hessian, one thread: {processed / cpu / 1e6,6:F1} M samples per CPU-second (× {Environment.ProcessorCount} cores ≈ {Environment.ProcessorCount * processed / cpu / 1e6:F1} M samples/s)");
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
        Console.WriteLine("  targets: ≤ 2 s and ≤ 300 MB peak RSS");
    }

    public static void Workflows()
    {
        string root = Path.Combine(Path.GetTempPath(), "newtone-bench-signaltrain");
        if (!Directory.Exists(Path.Combine(root, "Train")))
        {
            string tmp = root + ".partial";
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            SyntheticDataset.Write(tmp, new SyntheticDataset.Options { Seconds = 60, Seed = 11 });
            Directory.Move(tmp, root);
        }
        var index = SignalTrainIndex.Scan(root);
        string runs = Path.Combine(Path.GetTempPath(), "newtone-bench-sweep");
        if (Directory.Exists(runs)) Directory.Delete(runs, true);
        var sw = Stopwatch.StartNew();
        var levels = Sweep.Run(index, La2aMode.Compress, runs, Sweep.Levels(100, 40, 5), new FitConfig());
        double sweep = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"13-level sweep of 60 s synthetic recordings (44.1 kHz): {sweep:F1} s ({levels.Sum(l => l.Parameters!.Iterations)} Newton iterations in all)   target ≤ 30 s");

        var runSet = RunSet.Load(runs, La2aMode.Compress, out _);
        string outDir = Path.Combine(Path.GetTempPath(), "newtone-bench-render");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
        var jobs = DatasetRenderer.Plan(index, runSet, outDir);
        long samples = jobs.Sum(j => (long)Math.Round(j.Pair.Seconds * j.Pair.SampleRate));
        sw.Restart();
        DatasetRenderer.Render(jobs, makeUp: true, force: true);
        double render = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"rendering {jobs.Count} files, WAV in and out included: {samples / render / 1e6:F1} M samples/s   target ≥ 100 M samples/s");
        var x = new float[samples];
        sw.Restart();
        var c = levels[0].Parameters!.Settings.ToCoefficients(Sr);
        Parallel.For(0, Environment.ProcessorCount, k =>
        {
            int n = (int)(samples / Environment.ProcessorCount);
            var o = new float[n];
            Compressor.Process(x.AsSpan(k * n, n), o, c);
        });
        Console.WriteLine($"rendering kernel alone, all cores: {samples / sw.Elapsed.TotalSeconds / 1e6:F1} M samples/s");

        sw.Restart();
        foreach (var j in jobs)
        {
            using var r1 = new WavStreamReader(j.Pair.InputPath);
            using var r2 = new WavStreamReader(j.Pair.TargetPath);
            var buf = new[] { new float[1 << 16] };
            while (r1.Read(buf, 1 << 16) > 0) { }
            while (r2.Read(buf, 1 << 16) > 0) { }
        }
        double read = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var cmp = MethodComparison.Run(index, [new MethodSource("4A2A", outDir)], "3c", 10);
        double compare = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"compare (ESR + ΔLDR, WAV reading included), one method, {cmp.Rows.Count} files: {samples / compare / 1e6:F1} M samples/s   target ≥ 50 M samples/s");
        sw.Restart();
        SweepEvaluation.Evaluate(runSet, r => (r.Parameters.Input!, r.Parameters.Target!));
        double eval = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"eval of 13 levels (GT + linear + spline): {eval:F2} s; reading the same files alone on one core: {read:F2} s " +
            $"(eval {samples / eval / 1e6:F0} M samples/s)");
    }

    public static void Gru()
    {
        const int rows = 26, chunk = 12288, chunks = 8;
        var rng = new Rng(3);
        var x = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(chunk * chunks / (double)Sr + 0.1, Sr, (ulong)r)[..(chunk * chunks)]).ToArray();
        var y = x.Select(r => r.Select(v => (float)(0.9 * v)).ToArray()).ToArray();
        var model = GruModel.Initialise(1);
        foreach (bool inFloat in new[] { true, false })
        {
            var model1 = GruModel.Initialise(1);
            Func<GruModel, float[][], float[][], int, int, double[][], double[]?, double> run;
            if (inFloat) { var b = new GruBatchSingle(rows, chunk); run = (m, xs, ys, o, l, hh, g) => b.Chunk(m, xs, ys, o, l, hh, g); }
            else { var b = new GruBatch(rows, chunk); run = (m, xs, ys, o, l, hh, g) => b.Chunk(m, xs, ys, o, l, hh, g); }
            var grad = new double[GruModel.Count];
            var adam = new Adam(GruModel.Count);
            var hidden = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
            run(model1, x, y, 0, chunk, hidden, grad);
            // One epoch of the 8 chunks, timed three times (training goes on between): the best wall time, and the CPU
            // time of all three.
            double wall = double.PositiveInfinity, used = 0;
            var chunkMs = new List<double>();
            for (int rep = 0; rep < 3; rep++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock0 = Stopwatch.StartNew();
                for (int c = 0; c < chunks; c++)
                {
                    double start = clock0.Elapsed.TotalMilliseconds;
                    run(model1, x, y, c * chunk, chunk, hidden, grad);
                    adam.Update(model1.Parameters, grad);
                    chunkMs.Add(clock0.Elapsed.TotalMilliseconds - start);
                }
                wall = Math.Min(wall, clock0.Elapsed.TotalSeconds);
                used += (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / 3;
            }
            double n = (double)rows * chunk * chunks;
            string layout = !inFloat ? "double precision, 4 rows per 256-bit vector"
                : GruRowSet.Supported ? $"single precision, {rows / 8 * 8} rows in groups of 8 per 256-bit vector, {rows % 8} in a 512-bit row set"
                : "single precision, 8 rows per 256-bit vector";
            Console.WriteLine($"GRU training, {rows} rows × {chunk}-sample chunks (forward, BPTT, Adam; {layout}): " +
                $"{n / wall / 1e6:F1} M samples/s, best of 3 epochs ({n / used / 1e6:F1} M per CPU-second)" + (inFloat ? "   target ≥ 30 M samples/s" : "   (the reference it is tested against)"));
            if (inFloat)
            {
                // Where the host's scheduling shows: each chunk's wall time (a virtual CPU the host pauses stretches single chunks),
                // and the same epoch on one thread, for the scaling.
                var sorted = chunkMs.Order().ToArray();
                Console.WriteLine($"  per chunk: fastest {sorted[0]:F1} ms ({rows * (double)chunk / sorted[0] / 1e3:F1} M samples/s), median {sorted[sorted.Length / 2]:F1} ms, slowest {sorted[^1]:F1} ms");
                var oneThread = new GruBatchSingle(rows, chunk) { MaxThreads = 1 };
                double wallOne = double.PositiveInfinity;
                for (int rep = 0; rep < 2; rep++)
                {
                    var clock1 = Stopwatch.StartNew();
                    for (int c = 0; c < chunks; c++) oneThread.Chunk(model1, x, y, c * chunk, chunk, hidden, grad);
                    wallOne = Math.Min(wallOne, clock1.Elapsed.TotalSeconds);
                }
                Console.WriteLine($"  on 1 thread: {n / wallOne / 1e6:F1} M samples/s, best of 2 epochs; {MaxThreadsText()} threads give {wallOne / wall:F2}× that");
                if (GruRowSet.Supported)
                {
                    // The same epoch with the last rows in a group of eight of their own (as without AVX-512), epochs alternating
                    // with the default so that the host's swings fall on both.
                    var groups = new GruBatchSingle(rows, chunk, rowSet: false);
                    var dflt = new GruBatchSingle(rows, chunk);
                    groups.Chunk(model1, x, y, 0, chunk, hidden, grad);
                    dflt.Chunk(model1, x, y, 0, chunk, hidden, grad);
                    double wallGroups = double.PositiveInfinity, wallSet = double.PositiveInfinity;
                    for (int rep = 0; rep < 3; rep++)
                        foreach (var (b, isSet) in new[] { (groups, false), (dflt, true) })
                        {
                            var clock1 = Stopwatch.StartNew();
                            for (int c = 0; c < chunks; c++) b.Chunk(model1, x, y, c * chunk, chunk, hidden, grad);
                            double t = clock1.Elapsed.TotalSeconds;
                            if (isSet) wallSet = Math.Min(wallSet, t);
                            else wallGroups = Math.Min(wallGroups, t);
                        }
                    Console.WriteLine($"  the last {rows % 8} rows in a group of 8 of their own instead of the row set: {n / wallGroups / 1e6:F1} M samples/s against {n / wallSet / 1e6:F1} (best of 3, alternating, no Adam)");
                }
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int c = 0; c < chunks; c++) run(model1, x, y, c * chunk, chunk, hidden, null);
            wall = clock.Elapsed.TotalSeconds;
            used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"  forward and loss alone (no gradient): {n / wall / 1e6:F1} M samples/s ({n / used / 1e6:F1} M per CPU-second)");
        }
        // Rendering across rows as the renderer does it: two rows at a time per worker (GruStream.ProcessPair).
        var outs = x.Select(r => new float[r.Length]).ToArray();
        void Across() => Parallel.For(0, (rows + 1) / 2, i =>
        {
            int r = 2 * i;
            if (r + 1 < rows) GruStream.ProcessPair(new GruStream(model), x[r], outs[r], new GruStream(model), x[r + 1], outs[r + 1]);
            else new GruStream(model).Process(x[r], outs[r]);
        });
        Across();
        double across = 0;
        for (int k = 0; k < 3; k++)
        {
            var sw = Stopwatch.StartNew();
            Across();
            across = Math.Max(across, (double)rows * chunk * chunks / sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"GRU rendering across {rows} rows (two streams per worker, {Width()}): {across / 1e6:F1} M samples/s   target ≥ 61 M samples/s (2 × 30.5)");
        var one = new float[x[0].Length];
        var two = new float[x[1].Length];
        var s1 = new GruStream(model);
        var s2 = new GruStream(model);
        s1.Process(x[0], one);
        double single = 0, pair = 0;
        for (int k = 0; k < 3; k++)
        {
            var sw = Stopwatch.StartNew();
            s1.Process(x[0], one);
            single = Math.Max(single, x[0].Length / sw.Elapsed.TotalSeconds);
            sw.Restart();
            GruStream.ProcessPair(s1, x[0], one, s2, x[1], two);
            pair = Math.Max(pair, 2.0 * x[0].Length / sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"GRU single stream ({Width()}): {single / 1e6:F1} M samples/s = {single / Sr:F0}× real time at 44.1 kHz   target ≥ 786× (2 × 393×)");
        Console.WriteLine($"GRU two streams on one core (stereo, or two files): {pair / 1e6:F1} M samples/s = {pair / 2 / Sr:F0}× real time per stream");
    }

    /// <summary>One core, one group of rows: CPU ns per row-sample of the training batch, forward alone and with the gradient.</summary>
    public static void GruCore()
    {
        const int rows = 8, chunk = 12288;
        var x = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(chunk / (double)Sr + 0.1, Sr, (ulong)r)[..chunk]).ToArray();
        var y = x.Select(r => r.Select(v => (float)(0.9 * v)).ToArray()).ToArray();
        var model = GruModel.Initialise(1);
        var b = new GruBatchSingle(rows, chunk) { MaxThreads = 1 };
        var grad = new double[GruModel.Count];
        var hidden = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        double Best(bool withGradient)
        {
            double best = double.PositiveInfinity;
            // Enough chunks for a third of a CPU-second per measurement (the process clock ticks every 10 ms).
            int reps = Math.Max(1, (int)(3e6 / ((double)x.Length * chunk)));
            for (int k = 0; k < 5; k++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (int i = 0; i < reps; i++) b.Chunk(model, x, y, 0, chunk, hidden, withGradient ? grad : null);
                best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / reps);
            }
            return best * 1e9 / ((double)x.Length * chunk);
        }
        double f = Best(false), fb = Best(true);
        Console.WriteLine($"GRU training on one core, one group of {rows} rows (CPU ns per row-sample, best of 5): forward and loss {f:F2} ns, with back-propagation {fb:F2} ns");
        if (GruRowSet.Supported)
        {
            // Two rows alone run as a row set (each row's units across a 512-bit vector's half).
            b = new GruBatchSingle(2, chunk) { MaxThreads = 1 };
            x = x[..2];
            y = y[..2];
            hidden = hidden[..2];
            f = Best(false);
            fb = Best(true);
            Console.WriteLine($"  a row set of 2 rows (CPU ns per row-sample, best of 5): forward and loss {f:F2} ns, with back-propagation {fb:F2} ns");
        }
    }

    private static string MaxThreadsText() => Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Width() => GruStream.VectorBits switch
    {
        512 => "single precision, r|z in 512-bit vectors",
        256 => "single precision, 256-bit gate vectors",
        _ => "single precision, portable vector code",
    };

    public static int FitChild(string dir, string rep)
    {
        var sw = Stopwatch.StartNew();
        var config = FitConfig.Load(null, [$"ckpt_dir={Path.Combine(dir, "run" + rep)}",
            $"data.train.input={Path.Combine(dir, "input.wav")}", $"data.train.target={Path.Combine(dir, "target.wav")}"]);
        // NEWTONE_BENCH_TRACE=1: every log line and iteration with its time since the process started (where the wall time goes).
        double startup = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds - sw.Elapsed.TotalSeconds;
        IProgress<FitEvent>? trace = Environment.GetEnvironmentVariable("NEWTONE_BENCH_TRACE") == "1"
            ? new SyncProgress(e => Console.WriteLine($"    {startup + sw.Elapsed.TotalSeconds,6:F3} s  {e switch { FitMessage m => m.Text, FitIteration i => $"{i.Record.Stage} {i.Run.Label} iteration {i.Record.Iteration}: loss {i.Record.Loss:G6}, {i.Record.Tries} tries", _ => e.ToString() }}"))
            : null;
        if (trace is not null) Console.WriteLine($"    {startup,6:F3} s  process start to Main (runtime start-up)");
        var outcome = FitJob.Run(config, trace);
        if (trace is not null) Console.WriteLine($"    {startup + sw.Elapsed.TotalSeconds,6:F3} s  fit written");
        double wall = sw.Elapsed.TotalSeconds;
        long peak = PeakRssBytes();
        var r = outcome.Result;
        Console.WriteLine($"  run {rep}: wall {wall:F2} s, CPU {CpuSeconds():F2} s (fit {r.Seconds:F2} s, global stage {r.Search?.Seconds ?? 0:F2} s), {r.Iterations} iterations ({FitJob.StopName(r.Stop)}), " +
            $"ESR {100 * r.Esr:F4} %, peak RSS {peak / 1e6:F0} MB; {r.Settings}");
        return 0;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<FitEvent> report) : IProgress<FitEvent>
    {
        public void Report(FitEvent value) => report(value);
    }

    private static long PeakRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
