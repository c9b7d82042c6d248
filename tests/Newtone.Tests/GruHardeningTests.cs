using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;

namespace Newtone.Tests;

/// <summary>
/// The GRU's sample rate: training records it, old checkpoints read as 44100 Hz, rendering refuses other rates before writing
/// anything, the exports carry it; and the README's PyTorch forward pass, done by hand from the exported JSON.
/// </summary>
public class GruHardeningTests
{
    /// <summary>Writes <c>rendered/Train/&lt;name&gt;</c> (music) and <c>data/Train/&lt;name&gt;</c> (a gain applied to it) at a rate.</summary>
    private static void WritePair(TempDir dir, string name, int sampleRate, double seconds, ulong seed)
    {
        var x = MusicGenerator.Generate(seconds, sampleRate, seed);
        var y = x.Select(v => (float)(0.8 * v)).ToArray();
        Directory.CreateDirectory(dir["rendered/Train"]);
        Directory.CreateDirectory(dir["data/Train"]);
        WavFile.WriteFloat(Path.Combine(dir["rendered/Train"], name), new AudioBuffer([x], sampleRate));
        WavFile.WriteFloat(Path.Combine(dir["data/Train"], name), new AudioBuffer([y], sampleRate));
    }

    private static string Ok(TempDir dir, params string[] args)
    {
        var (exit, stdout, stderr) = Cli.Run(dir.Path, args);
        Assert.True(exit == 0, $"newtone {string.Join(' ', args)}: exit {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    [Fact]
    public void TrainingRecordsTheRateAndRenderingRefusesAnyOtherBeforeWritingAnything()
    {
        using var dir = new TempDir();
        WritePair(dir, "a_3c__0.wav", 16000, 2, 1);
        WritePair(dir, "b_3c__0.wav", 16000, 2, 2);
        Ok(dir, "gru", "train", "--source", "rendered", "--target", "data", "--min-seconds", "1", "--out", "gru", "--epochs", "2", "--chunk", "2048");

        // The file itself says 16000 (read as plain JSON, not through the record that wrote it).
        foreach (var file in new[] { "gru/best.json", "gru/last.json" })
            Assert.Equal(16000, JsonNode.Parse(File.ReadAllText(dir[file]))!["sample_rate"]!.GetValue<int>());
        var checkpoint = GruCheckpoint.Load(dir["gru"]);
        Assert.Equal(16000, checkpoint.SampleRate);

        // At the trained rate: rendered, and equal to the model streamed at that rate.
        Ok(dir, "gru", "render", "--model", "gru", "--source", "rendered", "--pattern", "3c", "--out", "corrected");
        var x = WavFile.Read(dir["rendered/Train/a_3c__0.wav"]).Channels[0];
        var expected = new float[x.Length];
        new GruStream(checkpoint.Model(), 16000).Process(x, expected);
        var rendered = WavFile.Read(dir["corrected/Train/a_3c__0.wav"]);
        Assert.Equal(16000, rendered.SampleRate);
        Assert.Equal(expected, rendered.Channels[0]);

        // A tree with one file at the right rate and one at 22050 Hz: refused with one line, and nothing written, not even the good file.
        Directory.CreateDirectory(dir["other"]);
        WavFile.WriteFloat(dir["other/a_3c.wav"], new AudioBuffer([MusicGenerator.Generate(1, 16000, 3)], 16000));
        WavFile.WriteFloat(dir["other/b_3c.wav"], new AudioBuffer([MusicGenerator.Generate(1, 22050, 4)], 22050));
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "gru", "render", "--model", "gru", "--source", "other", "--pattern", "3c", "--out", "other-gru");
        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        string expectedLine = $"error: {Path.Combine("gru", "best.json")}: trained at 16000 Hz; {Path.Combine("other", "b_3c.wav")} is 22050 Hz " +
            "(resample the audio, or train at that rate)";
        Assert.Equal(expectedLine, stderr.TrimEnd('\r', '\n'));
        Assert.False(Directory.Exists(dir["other-gru"]) && Directory.EnumerateFileSystemEntries(dir["other-gru"], "*", SearchOption.AllDirectories).Any(),
            "gru render wrote something before refusing");

        // The exports carry the trained rate: ONNX metadata (read back by ONNX Runtime) and the JSON weights.
        var export = Ok(dir, "gru", "export", "--model", "gru", "--onnx", "gru.onnx", "--json", "weights.json");
        Assert.Contains("16000 Hz", export);
        using (var session = new InferenceSession(dir["gru.onnx"]))
        {
            Assert.Equal("16000", session.ModelMetadata.CustomMetadataMap["sample_rate"]);
            Assert.Equal(OnnxExport.ModelName, session.ModelMetadata.CustomMetadataMap["name"]);
        }
        Assert.Equal(16000, JsonNode.Parse(File.ReadAllText(dir["weights.json"]))!["sample_rate"]!.GetValue<int>());
    }

    [Fact]
    public void RowsThatDifferInSampleRateAreRefused()
    {
        using var dir = new TempDir();
        WritePair(dir, "a_3c.wav", 16000, 1.5, 1);
        WritePair(dir, "b_3c.wav", 22050, 1.5, 2);
        var e = Assert.Throws<InputException>(() => GruTrainer.LoadRows(dir["rendered"], dir["data"], "3c", 1));
        Assert.Contains("differ in sample rate", e.Message);
        Assert.Contains("16000 Hz", e.Message);
        Assert.Contains("22050 Hz", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // Through the command: exit 2, one line, no checkpoint folder contents.
        var (exit, _, stderr) = Cli.Run(dir.Path, "gru", "train", "--source", "rendered", "--target", "data", "--min-seconds", "1", "--out", "gru", "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("differ in sample rate", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(dir["gru/best.json"]) || File.Exists(dir["gru/last.json"]));
        // With one rate only, the same loader accepts the rows and reports that rate.
        File.Delete(dir["rendered/Train/b_3c.wav"]);
        Assert.Equal(16000, GruTrainer.LoadRows(dir["rendered"], dir["data"], "3c", 1).SampleRate);
    }

    [Fact]
    public void ResumingAtAnotherRateIsRefused()
    {
        using var dir = new TempDir();
        var data = GruTests.RecurrentGainData(2, 4000);
        var options = new GruTrainingOptions { Epochs = 2, Chunk = 1000, Seed = 3 };
        GruTrainer.Train(data, options with { Epochs = 1 }, dir.Path);
        Assert.Equal(16000, GruCheckpoint.Load(dir["last.json"]).SampleRate);
        var e = Assert.Throws<InputException>(() => GruTrainer.Train(data with { SampleRate = 22050 }, options, dir.Path));
        Assert.Contains("16000 Hz", e.Message);
        Assert.Contains("22050 Hz", e.Message);
        Assert.Equal(1, GruCheckpoint.Load(dir["last.json"]).Epoch);
        Assert.Equal(2, GruTrainer.Train(data, options, dir.Path).Epoch);
    }

    [Fact]
    public void AnOldCheckpointWithoutASampleRateReadsAs44100AndRefusesOtherRates()
    {
        using var dir = new TempDir();
        var m = GruModel.Initialise(5);
        new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(m), Options = new GruTrainingOptions(), SampleRate = 16000 }.Save(dir["new.json"]);
        var json = JsonNode.Parse(File.ReadAllText(dir["new.json"]))!.AsObject();
        Assert.Equal(16000, json["sample_rate"]!.GetValue<int>());
        Assert.True(json.Remove("sample_rate"));
        File.WriteAllText(dir["old.json"], json.ToJsonString());
        Assert.DoesNotContain("sample_rate", File.ReadAllText(dir["old.json"]));

        var old = GruCheckpoint.Load(dir["old.json"]);
        Assert.Equal(44100, old.SampleRate);
        Assert.Equal(m.Parameters, old.ModelFor(44100, "song.wav").Parameters);
        var e = Assert.Throws<InputException>(() => old.ModelFor(48000, "song.wav"));
        Assert.Equal($"{dir["old.json"]}: trained at 44100 Hz; song.wav is 48000 Hz (resample the audio, or train at that rate)", e.Message);
        Assert.Equal(16000, GruCheckpoint.Load(dir["new.json"]).SampleRate);

        // A rate that is no rate is a clear error naming the file.
        json["sample_rate"] = 0;
        File.WriteAllText(dir["zero.json"], json.ToJsonString());
        var z = Assert.Throws<InputException>(() => GruCheckpoint.Load(dir["zero.json"]));
        Assert.StartsWith(dir["zero.json"], z.Message);
    }

    [Fact]
    public void OnnxMetadataCarriesTheRateGiven()
    {
        using var dir = new TempDir();
        var m = GruModel.Initialise(2);
        OnnxExport.Save(m, dir["48k.onnx"], 48000);
        OnnxExport.Save(m, dir["default.onnx"]);
        using var s48 = new InferenceSession(dir["48k.onnx"]);
        using var sDefault = new InferenceSession(dir["default.onnx"]);
        Assert.Equal("48000", s48.ModelMetadata.CustomMetadataMap["sample_rate"]);
        Assert.Contains("48000 Hz", s48.ModelMetadata.Description);
        Assert.Equal("44100", sDefault.ModelMetadata.CustomMetadataMap["sample_rate"]);
    }

    /// <summary>
    /// The README's forward pass (torch.nn.GRU(1, 8, batch_first=True), zero initial state, out = x + lin(h)) written out by
    /// hand from PyTorch's documented GRU equations (gate rows r, z, n; r multiplies W_hn·h + b_hn), reading only the
    /// exported JSON, agrees with Newtone's streaming GRU.
    /// </summary>
    [Fact]
    public void TheExportedJsonDrivesPyTorchsGruEquationsToNewtonesOutput()
    {
        var rng = new Rng(17);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = rng.Uniform(-0.6, 0.6);
        var m = new GruModel(p);
        using var doc = JsonDocument.Parse(OnnxExport.WeightsJson(m, 22050));
        var root = doc.RootElement;
        Assert.Equal(22050, root.GetProperty("sample_rate").GetInt32());
        var sd = root.GetProperty("state_dict");
        double[] Vec(string name) => sd.GetProperty(name).GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[][] Mat(string name) => sd.GetProperty(name).GetProperty("data").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        var wih = Mat("rec.weight_ih_l0");   // [24, 1]
        var whh = Mat("rec.weight_hh_l0");   // [24, 8]
        var bih = Vec("rec.bias_ih_l0");
        var bhh = Vec("rec.bias_hh_l0");
        var linW = Mat("lin.weight");        // [1, 8]
        double linB = Vec("lin.bias")[0];
        const int H = 8;

        var x = MusicGenerator.Generate(0.25, 22050, 9);
        var h = new double[H];
        var byHand = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            double Pre(int row, bool input) => input ? wih[row][0] * x[t] + bih[row] : Enumerable.Range(0, H).Sum(j => whh[row][j] * h[j]) + bhh[row];
            var next = new double[H];
            for (int k = 0; k < H; k++)
            {
                double r = Sigmoid(Pre(k, true) + Pre(k, false));
                double z = Sigmoid(Pre(H + k, true) + Pre(H + k, false));
                double n = Math.Tanh(Pre(2 * H + k, true) + r * Pre(2 * H + k, false));
                next[k] = (1 - z) * n + z * h[k];
            }
            h = next;
            byHand[t] = x[t] + Enumerable.Range(0, H).Sum(k => linW[0][k] * h[k]) + linB;
        }
        var ours = new float[x.Length];
        new GruStream(m, 22050).Process(x, ours);
        for (int t = 0; t < x.Length; t++) Assert.Equal(byHand[t], ours[t], 1e-5);
        Assert.True(byHand.Zip(x, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "the GRU's correction is negligible; the comparison proves nothing");

        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    }
}
