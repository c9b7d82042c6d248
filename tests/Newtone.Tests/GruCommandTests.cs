using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Newtone.Tests;

/// <summary>train → render → export → process, end to end with the real executable on a synthetic tree.</summary>
public class GruCommandTests
{
    [Fact]
    public void TrainRenderExportProcessWorkEndToEnd()
    {
        using var dir = new TempDir();
        SyntheticDataset.Write(dir["data"], new SyntheticDataset.Options
        {
            SampleRate = 16000, Seconds = 4, Levels = [60, 80, 100], Colour = true, Truth = WorkflowTests.Linear, NoiseDbfs = double.NegativeInfinity,
        });
        Run(["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "60", "--step", "20", .. WorkflowTests.FitOptions]);
        Run("render", "data", "--runs", "runs", "--mode", "compress", "--out", "rendered", "--no-make-up");
        var train = Run("gru", "train", "--source", "rendered", "--target", "data", "--min-seconds", "1", "--out", "gru", "--epochs", "3", "--chunk", "2048", "--seed", "4");
        Assert.Contains("3 rows", train);
        Assert.Contains("epoch 3:", train);
        Assert.True(File.Exists(dir["gru/best.json"]) && File.Exists(dir["gru/last.json"]));
        // A second call resumes and finds nothing left to do.
        Assert.Contains("already finished", Run("gru", "train", "--source", "rendered", "--target", "data", "--min-seconds", "1", "--out", "gru", "--epochs", "3", "--chunk", "2048", "--seed", "4"));

        Run("gru", "render", "--model", "gru", "--source", "rendered", "--pattern", "3c__0", "--out", "corrected");
        var model = GruCheckpoint.Load(dir["gru/best.json"]).Model();
        string rel = "Train/" + SyntheticDataset.TargetName(150, "3c", La2aMode.Compress, 60);
        var src = WavFile.Read(Path.Combine(dir["rendered"], rel)).Channels[0];
        var expected = new float[src.Length];
        new GruStream(model).Process(src, expected);
        Assert.Equal(expected, WavFile.Read(Path.Combine(dir["corrected"], rel)).Channels[0]);
        // Files are rendered two at a time (their recurrences side by side): every one is still its own stream's output.
        var corrected = Directory.GetFiles(dir["corrected"], "*.wav", SearchOption.AllDirectories);
        Assert.True(corrected.Length >= 2, $"{corrected.Length} files rendered");
        foreach (var f in corrected)
        {
            var s = WavFile.Read(Path.Combine(dir["rendered"], Path.GetRelativePath(dir["corrected"], f))).Channels[0];
            var e = new float[s.Length];
            new GruStream(model).Process(s, e);
            Assert.Equal(e, WavFile.Read(f).Channels[0]);
        }

        Run("gru", "export", "--model", "gru/best.json", "--onnx", "gru.onnx", "--json", "weights.json");
        using (var session = new InferenceSession(dir["gru.onnx"]))
        {
            var audio = new DenseTensor<float>([1, 4000, 1]);
            for (int t = 0; t < 4000; t++) audio[0, t, 0] = src[t];
            using var res = session.Run([NamedOnnxValue.CreateFromTensor("audio", audio), NamedOnnxValue.CreateFromTensor("state_in", new DenseTensor<float>([1, 1, 8]))]);
            var o = res.First(r => r.Name == "audio_out").AsTensor<float>().ToArray();
            for (int t = 0; t < 4000; t++) Assert.Equal(expected[t], o[t], 2e-5);
        }
        Assert.Contains("rec.weight_hh_l0", File.ReadAllText(dir["weights.json"]));

        // process --gru: the compressor without make-up, then the GRU, in one streaming pass.
        string input = Path.Combine(dir["data"], "Train", "input_150_.wav");
        Run("process", input, "processed.wav", "--run", "runs/la2a_60", "--gru", "gru");
        var x = WavFile.Read(input).Channels[0];
        var c = new float[x.Length];
        Compressor.Process(x, c, RunParameters.Load(dir["runs/la2a_60"]).Settings.WithoutMakeUp().ToCoefficients(16000));
        new GruStream(model).Process(c, c);
        Assert.Equal(c, WavFile.Read(dir["processed.wav"]).Channels[0]);

        string Run(params string[] args)
        {
            var (exit, stdout, stderr) = Cli.Run(dir.Path, args);
            Assert.True(exit == 0, $"newtone {string.Join(' ', args)}: exit {exit}\n{stdout}\n{stderr}");
            return stdout;
        }
    }

    [Fact]
    public void TrainingWithoutAvx512OrAvx2GivesTheSameModelToRounding()
    {
        // `gru train` in processes where the runtime may not use AVX-512 (DOTNET_EnableAVX512F=0: the 256-bit path's min/max
        // clamps, the weight gradients' 24 accumulators in 16 registers) or AVX2 (DOTNET_EnableAVX2=0: the portable packing
        // of the gates, rounding half up, and the portable transposes), against the same training with both: 9 rows (a
        // group of 8 and one of 1, so a lane-less group too), 2 epochs of 2048-sample chunks. Only rounding may differ: the
        // last loss within 1e-4 relative, the parameters within 1e-3 (46 Adam steps of 5e-3, where a rounding-sized change
        // of a near-zero gradient moves a parameter by part of a step; seen: 1.0e-4). Swapping r and z in the portable
        // unpacking moves the loss by 16 % (checked).
        using var dir = new TempDir();
        for (int i = 0; i < 9; i++)
        {
            var x = MusicGenerator.Generate(3, 16000, (ulong)(70 + i));
            var y = x.Select(v => (float)(0.8 * v + 0.15 * Math.Tanh(3 * v))).ToArray();
            Directory.CreateDirectory(dir["src"]);
            Directory.CreateDirectory(dir["tgt"]);
            WavFile.WriteFloat(dir[$"src/row{i}_3c.wav"], new AudioBuffer(x, 16000));
            WavFile.WriteFloat(dir[$"tgt/row{i}_3c.wav"], new AudioBuffer(y, 16000));
        }
        GruCheckpoint Train(string outDir, Dictionary<string, string?> env)
        {
            var (exit, stdout, stderr) = Programs.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "newtone.dll"), "gru", "train",
                "--source", "src", "--target", "tgt", "--min-seconds", "1", "--out", outDir, "--epochs", "2", "--chunk", "2048", "--seed", "5"],
                dir.Path, env);
            Assert.True(exit == 0, $"{string.Join(' ', env)}: exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains("9 rows", stdout);
            return GruCheckpoint.Load(dir[$"{outDir}/last.json"]);
        }
        var full = Train("full", []);
        foreach (var (name, env) in new[] { ("avx2", new Dictionary<string, string?> { ["DOTNET_EnableAVX512F"] = "0" }),
            ("portable", new Dictionary<string, string?> { ["DOTNET_EnableAVX2"] = "0" }) })
        {
            var other = Train(name, env);
            Assert.True(Math.Abs(other.Loss - full.Loss) < 1e-4 * full.Loss, $"{name}: loss {other.Loss:R} against {full.Loss:R}");
            var a = full.Model().Parameters;
            var b = other.Model().Parameters;
            double worst = 0;
            for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            Assert.True(worst < 1e-3, $"{name}: parameters differ by up to {worst:E2}");
        }
    }

    [Fact]
    public void BadCheckpointIsAClearError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["x.json"], "not json");
        var (exit, _, err) = Cli.Run(dir.Path, "gru", "export", "--model", "x.json", "--onnx", "m.onnx");
        Assert.Equal(2, exit);
        Assert.Contains("x.json", err);
        Assert.False(File.Exists(dir["m.onnx"]));
    }
}
