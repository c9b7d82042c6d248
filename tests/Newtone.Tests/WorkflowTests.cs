using System.Diagnostics;

namespace Newtone.Tests;

/// <summary>
/// The SignalTrain workflows on a temporary SignalTrain-shaped tree (seconds per file) whose targets
/// come from known, smoothly varying parameters.
/// </summary>
public class WorkflowTests
{
    private const int Sr = 16000;
    internal static readonly string[] FitOptions = ["data.duration=2", "data.overlap=0.25"];

    /// <summary>Parameters that change smoothly (linearly) with peak reduction.</summary>
    internal static CompressorSettings Linear(La2aMode mode, int p) => new(
        -5 - 0.3 * p, 2.5 + 0.02 * p + (mode == La2aMode.Limit ? 0.5 : 0), 12 - 0.1 * p, 300 - 1.2 * p, 0.8 - 0.005 * p);

    private static Dictionary<(La2aMode, int), CompressorSettings> Tree(string root, IReadOnlyList<int>? levels = null, double heldOut = 0,
        IReadOnlyList<La2aMode>? modes = null) =>
        SyntheticDataset.Write(root, new SyntheticDataset.Options
        {
            SampleRate = Sr,
            Seconds = 5,
            HeldOutSeconds = heldOut,
            Levels = levels ?? PublishedSettings.PeakReductions,
            Modes = modes ?? [La2aMode.Compress],
            Truth = Linear,
            NoiseDbfs = double.NegativeInfinity,
        });

    [Fact]
    public void IndexFindsEveryPairAndReportsPlantedFaults()
    {
        using var dir = new TempDir();
        Tree(dir.Path, [40, 70, 100], heldOut: 2, modes: [La2aMode.Compress, La2aMode.Limit]);
        // Planted faults: a target without input, an unreadable target, a rate mismatch, a length mismatch, a bad name.
        File.Copy(dir["Train/target_146_LA2A_3c__0__40.wav"], dir["Train/target_999_LA2A_3c__0__40.wav"]);
        File.WriteAllText(dir["Val/target_700_LA2A_2c__1__70.wav"], "junk");
        File.WriteAllText(dir["Val/input_700_.wav"], "junk");
        WavFile.WriteFloat(dir["Test/input_701_.wav"], new AudioBuffer(new float[100], 8000));
        WavFile.WriteFloat(dir["Test/target_701_LA2A_3c__0__70.wav"], new AudioBuffer(new float[100], Sr));
        WavFile.WriteFloat(dir["Test/input_702_.wav"], new AudioBuffer(new float[100], Sr));
        WavFile.WriteFloat(dir["Test/target_702_LA2A_3c__0__70.wav"], new AudioBuffer(new float[90], Sr));
        File.Copy(dir["Train/target_146_LA2A_3c__0__40.wav"], dir["Train/target_146_LA2A_4c__0__40.wav"]);

        var index = SignalTrainIndex.Scan(dir.Path);
        // 2 modes × 3 levels × (1 Train 3c + Val 2c + Test 2c)
        Assert.Equal(18, index.Pairs.Count);
        Assert.Equal(6, index.Pairs.Count(p => p.Folder == "Train" && p.Family == "3c"));
        Assert.All(index.Pairs, p => Assert.True(File.Exists(p.InputPath) && File.Exists(p.TargetPath)));
        var pair = index.TrainingPair(La2aMode.Limit, 70)!;
        Assert.Equal(173, pair.Id);
        Assert.Equal("Train/target_173_LA2A_3c__1__70.wav", pair.RelativePath);
        Assert.Equal(5, pair.Seconds, 6);
        Assert.Equal(5, index.Problems.Count);
        Assert.Contains(index.Problems, p => p.Path.EndsWith("target_999_LA2A_3c__0__40.wav") && p.Problem.Contains("input_999_.wav is missing"));
        Assert.Contains(index.Problems, p => p.Path.EndsWith("target_700_LA2A_2c__1__70.wav") && p.Problem.Contains("not a readable WAV"));
        Assert.Contains(index.Problems, p => p.Path.EndsWith("target_701_LA2A_3c__0__70.wav") && p.Problem.Contains("8000"));
        Assert.Contains(index.Problems, p => p.Path.EndsWith("target_702_LA2A_3c__0__70.wav") && p.Problem.Contains("length 90"));
        Assert.Contains(index.Problems, p => p.Path.EndsWith("4c__0__40.wav") && p.Problem.Contains("not of the form"));

        var (exit, stdout, _) = Cli.Run(dir.Path, "dataset", ".");
        Assert.Equal(0, exit);
        Assert.Contains("18 pairs", stdout);
        Assert.Contains("5 problem(s)", stdout);
        Assert.Contains("input_999_.wav is missing", stdout);
    }

    [Fact]
    public void TrainingPairPrefersTheLongest3cRecordingInTrain()
    {
        using var dir = new TempDir();
        Tree(dir.Path, [50]);
        // A longer 3c recording of the same setting in Train, and one only in Val for another setting.
        var x = MusicGenerator.Generate(7, Sr, 3);
        WavFile.WriteFloat(dir["Train/input_400_.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir["Train/target_400_LA2A_3c__0__50.wav"], new AudioBuffer(x, Sr));
        Directory.CreateDirectory(dir["Val"]);
        WavFile.WriteFloat(dir["Val/input_401_.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir["Val/target_401_LA2A_3c__0__55.wav"], new AudioBuffer(x, Sr));
        var index = SignalTrainIndex.Scan(dir.Path);
        Assert.Equal(400, index.TrainingPair(La2aMode.Compress, 50)!.Id);
        Assert.Equal("Val", index.TrainingPair(La2aMode.Compress, 55)!.Folder);
        Assert.Null(index.TrainingPair(La2aMode.Limit, 50));
    }

    [Fact]
    public void SweepRecoversEveryLevelAndEvalWritesTheReferenceLayout()
    {
        using var dir = new TempDir();
        var truth = Tree(dir["data"], heldOut: 2);
        var index = SignalTrainIndex.Scan(dir["data"]);
        var levels = Sweep.Run(index, La2aMode.Compress, dir["runs"], Sweep.Levels(100, 40, 5), FitConfig.Load(null, FitOptions));
        Assert.Equal(13, levels.Count);
        Assert.All(levels, l => Assert.False(l.Skipped));
        foreach (var l in levels)
        {
            FitRecoveryTests.AssertRecovered(truth[(La2aMode.Compress, l.PeakReduction)], l.Parameters!.Settings);
            Assert.Equal("compress", l.Parameters.La2aMode);
            Assert.Equal(l.PeakReduction, l.Parameters.PeakReduction);
        }
        // Warm starts: every level but the first starts from the level above.
        Assert.Equal("initial point", levels[0].Parameters!.Search!.Starts[0].Label);
        Assert.All(levels.Skip(1), l => Assert.Equal("warm start", l.Parameters!.Search!.Starts[0].Label));

        var (exit, stdout, stderr) = Cli.Run(dir.Path, "eval", "runs", "eval.csv", "--dataset", "data");
        Assert.True(exit == 0, stderr + stdout);
        var lines = File.ReadAllLines(dir["eval.csv"]);
        Assert.Equal("Peak Reduction,ESR,,,Threshold (dB),Ratio,Attack (ms),Release (ms), Make-up Gain (dB)", lines[0]);
        Assert.Equal(",GT,Linear Interpolation,Spline Interpolation,,,,,", lines[1]);
        Assert.Equal(15, lines.Length);
        foreach (var row in lines.Skip(2).Select(l => l.Split(',')))
        {
            Assert.Equal(9, row.Length);
            int p = int.Parse(row[0]);
            bool knot = p % 10 == 0;
            Assert.Equal(knot, row[2] == "");
            Assert.Equal(knot, row[3] == "");
            Assert.True(double.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture) < 1e-4);
            if (!knot)
            {
                // The truth is linear in peak reduction: interpolating it loses (almost) nothing.
                Assert.True(double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture) < 1e-3, $"linear ESR at {p}: {row[2]}");
                Assert.True(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture) < 1e-3, $"spline ESR at {p}: {row[3]}");
            }
        }
        var held = File.ReadAllLines(dir["eval-heldout.csv"]);
        Assert.Equal("Peak Reduction,Recording,Family,Seconds,ESR", held[0]);
        Assert.Equal(1 + 13 * 2, held.Length);
        Assert.Contains(held, l => l.StartsWith("75,Val/target_") && l.Contains(",2c,"));
    }

    [SharedFact]
    public void EvalHeaderLinesEqualTheReferenceFileByteForByte()
    {
        var reference = File.ReadAllBytes(SharedData.Path2("reference", "comp.csv"));
        int second = Array.IndexOf(reference, (byte)'\n', Array.IndexOf(reference, (byte)'\n') + 1);
        var header = reference[..(second + 1)];
        var ours = System.Text.Encoding.UTF8.GetBytes(SweepEvaluation.Csv([]));
        Assert.Equal(header, ours);
        var limit = File.ReadAllBytes(SharedData.Path2("reference", "limit.csv"))[..(second + 1)];
        Assert.Equal(limit, ours);
    }

    [Fact]
    public void EvalRefusesRunsWithDifferentRanges()
    {
        using var dir = new TempDir();
        Tree(dir["data"], [90, 100]);
        var index = SignalTrainIndex.Scan(dir["data"]);
        Sweep.Run(index, La2aMode.Compress, dir["runs"], [100], FitConfig.Load(null, FitOptions));
        Sweep.Run(index, La2aMode.Compress, dir["runs"], [90], FitConfig.Load(null, [.. FitOptions, "compressor.range.release_ms.max=2000"]));
        var (exit, _, stderr) = Cli.Run(dir.Path, "eval", "runs", "eval.csv");
        Assert.Equal(2, exit);
        Assert.Contains("la2a_90", stderr);
        Assert.Contains("ranges", stderr);
        Assert.False(File.Exists(dir["eval.csv"]));
    }

    [Fact]
    public void SweepResumesAfterBeingKilledMidLevel()
    {
        using var dir = new TempDir();
        Tree(dir["data"], [80, 85, 90, 95, 100]);
        string[] args = ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "80", .. FitOptions];

        // Uninterrupted reference sweep.
        var clean = Cli.Run(dir.Path, [.. args[..5], "clean", .. args[6..]]);
        Assert.True(clean.Exit == 0, clean.Err);

        // Start, and kill the process as soon as it begins fitting la2a_90.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.Path };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "newtone.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.Contains("fitting compress la2a_90")) { }
            Assert.NotNull(line);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.True(File.Exists(dir["runs/la2a_100/params.json"]));
        Assert.True(File.Exists(dir["runs/la2a_95/params.json"]));
        Assert.False(File.Exists(dir["runs/la2a_80/params.json"]));

        var resumed = Cli.Run(dir.Path, args);
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Contains("la2a_100: already complete, skipped", resumed.Out);
        Assert.Contains("la2a_95: already complete, skipped", resumed.Out);
        Assert.Contains("fitting compress la2a_80", resumed.Out);
        foreach (int level in new[] { 80, 85, 90, 95, 100 })
        {
            var a = RunParameters.Load(dir[$"runs/la2a_{level}"]);
            var b = RunParameters.Load(dir[$"clean/la2a_{level}"]);
            Assert.Equal(b.Logits, a.Logits);   // deterministic: resuming changes nothing
            Assert.Empty(Directory.GetFiles(dir[$"runs/la2a_{level}"], "*.tmp"));
        }
    }

    [Fact]
    public void RenderMirrorsThePathsAndEqualsTheFittedCompressor()
    {
        using var dir = new TempDir();
        Tree(dir["data"], [60, 70], heldOut: 2);
        var index = SignalTrainIndex.Scan(dir["data"]);
        Sweep.Run(index, La2aMode.Compress, dir["runs"], [70, 60], FitConfig.Load(null, FitOptions));
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "out", "--no-make-up");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("rendered 6 file(s)", stdout);
        foreach (var pair in index.Pairs)
        {
            string rendered = Path.Combine(dir["out"], pair.RelativePath);
            Assert.True(File.Exists(rendered), rendered);
            var p = RunParameters.Load(dir[$"runs/la2a_{pair.PeakReduction}"]);
            var x = WavFile.Read(pair.InputPath).Channels[0];
            var expected = new float[x.Length];
            Compressor.Process(x, expected, p.Settings.WithoutMakeUp().ToCoefficients(Sr));
            var got = WavFile.Read(rendered);
            Assert.Equal(Sr, got.SampleRate);
            Assert.Equal(expected, got.Channels[0]);
        }
        // Existing outputs are skipped, --force redoes them.
        var again = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "out");
        Assert.Contains("rendered 0 file(s), skipped 6", again.Out);
        var forced = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "out", "--force");
        Assert.Contains("rendered 6 file(s)", forced.Out);
    }

    [Fact]
    public void FileEsrEqualsTheWholeFileFormula()
    {
        using var dir = new TempDir();
        var truth = Linear(La2aMode.Compress, 60);
        var (x, y) = TestSignals.Pair(6, Sr, truth, 12, noiseDbfs: -50);
        WavFile.WriteFloat(dir["x.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir["y.wav"], new AudioBuffer(y, Sr));
        var other = truth with { ReleaseMs = 150, MakeUpDb = 0 };
        foreach (int delay in new[] { 0, 25 })
        {
            var esr = FileEsr.Compute(dir["x.wav"], dir["y.wav"], [CompressorModel.FromSamples(truth, delay, Sr), CompressorModel.FromSamples(other, delay, Sr)]);
            for (int k = 0; k < 2; k++)
            {
                var c = (k == 0 ? truth : other).ToCoefficients(Sr);
                var g = ReferenceLoss.Advance(ReferenceLoss.SmoothedGain(x.Select(v => (double)v).ToArray(), c.ThresholdDb, c.Ratio, c.Attack, c.Release, out _, out _), delay);
                double m = Math.Pow(10, c.MakeUpDb / 20);
                var pred = ReferenceLoss.PreFilter(x.Select((v, i) => (double)(float)(m * g[i] * v)).ToArray());
                var pt = ReferenceLoss.PreFilter(y.Select(v => (double)v).ToArray());
                double e = 0, t = 0;
                for (int i = 0; i < x.Length; i++) { e += (pred[i] - pt[i]) * (pred[i] - pt[i]); t += pt[i] * pt[i]; }
                Assert.Equal(e / t, esr[k], e / t * 1e-6);
            }
        }
    }

    [Fact]
    public void StereoLinkingUsesTheLoudestChannelAndUnlinkedIsPerChannel()
    {
        var s = new CompressorSettings(-20, 4, 2, 100, 1);
        var c = s.ToCoefficients(Sr);
        var loud = MusicGenerator.Generate(2, Sr, 21);
        var quiet = loud.Select(v => v * 0.05f).ToArray();   // −26 dB: mostly below threshold
        var input = new[] { quiet, loud };
        var outI = new float[2 * loud.Length];
        new CompressorProcessor(new CompressorModel(s), Sr, 2, linked: true).Process(TestSignals.Interleave(input), outI);
        var output = TestSignals.Deinterleave(outI, 2);
        // Linked: both channels get the gain computed from max(|L|, |R|), i.e. from the loud channel.
        var detector = loud.Select((v, i) => Math.Max(Math.Abs(v), Math.Abs(quiet[i]))).ToArray();
        var g = ReferenceLoss.SmoothedGain(detector.Select(v => (double)v).ToArray(), c.ThresholdDb, c.Ratio, c.Attack, c.Release, out _, out _);
        double m = Math.Pow(10, 1 / 20.0);
        for (int i = 0; i < loud.Length; i += 7)
        {
            Assert.Equal(m * g[i] * quiet[i], output[0][i], 1e-6);
            Assert.Equal(m * g[i] * loud[i], output[1][i], 1e-6);
        }
        // Unlinked: each channel as a mono compressor of its own.
        var unI = new float[2 * loud.Length];
        new CompressorProcessor(new CompressorModel(s), Sr, 2, linked: false).Process(TestSignals.Interleave(input), unI);
        var unlinked = TestSignals.Deinterleave(unI, 2);
        var monoQuiet = new float[loud.Length];
        Compressor.Process(quiet, monoQuiet, c);
        Assert.Equal(monoQuiet, unlinked[0]);
        Assert.NotEqual(output[0], unlinked[0]);
    }

    [Fact]
    public void ProcessAppliesPresetsAndRuns()
    {
        using var dir = new TempDir();
        var x = MusicGenerator.Generate(3, 44100, 30);
        var stereo = new AudioBuffer([x, x.Select(v => -0.5f * v).ToArray()], 44100);
        WavFile.WriteFloat(dir["in.wav"], stereo);
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "process", "in.wav", "out.wav", "--peak-reduction", "75", "--mode", "compress");
        Assert.True(exit == 0, stderr);
        var got = WavFile.Read(dir["out.wav"]);
        var expI = new float[2 * x.Length];
        new CompressorProcessor(new CompressorModel(PublishedSettings.At(La2aMode.Compress, 75)), 44100, 2, linked: true)
            .Process(TestSignals.Interleave(stereo.Channels), expI);
        var expected = TestSignals.Deinterleave(expI, 2);
        Assert.Equal(expected[0], got.Channels[0]);
        Assert.Equal(expected[1], got.Channels[1]);
        // Outside 40…100: a clear error, nothing written.
        var bad = Cli.Run(dir.Path, "process", "in.wav", "bad.wav", "--peak-reduction", "30", "--mode", "limit");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("30 is outside 40…100", bad.Err);
        Assert.False(File.Exists(dir["bad.wav"]));
    }
}
