using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Newtone.Tests;

/// <summary>The GRU make-up gain: against ONNX Runtime's GRU operator, streaming, Adam, training and resuming.</summary>
public class GruTests
{
    private static GruModel RandomModel(ulong seed, double scale = 1)
    {
        var rng = new Rng(seed);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = scale * rng.Uniform(-0.6, 0.6);
        return new GruModel(p);
    }

    private static float[][] RandomRows(ulong seed, int rows, int length) =>
        Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(length / 16000.0 + 0.01, 16000, seed + (ulong)r)[..length]).ToArray();

    /// <summary>Our batch forward (double precision) for rows from given initial states.</summary>
    private static (float[][] Out, double[][] State) Forward(GruModel m, float[][] rows, double[][] h0)
    {
        int length = rows[0].Length;
        var batch = new GruBatch(rows.Length, length);
        var h = h0.Select(r => (double[])r.Clone()).ToArray();
        var pred = rows.Select(_ => new float[length]).ToArray();
        batch.Chunk(m, rows, rows.Select(r => new float[r.Length]).ToArray(), 0, length, h, null, pred);
        return (pred, h);
    }

    private static (float[] Out, float[] State) RunOnnx(InferenceSession session, float[][] rows, int from, int count, float[] state)
    {
        int b = rows.Length;
        var audio = new DenseTensor<float>([b, count, 1]);
        for (int r = 0; r < b; r++) for (int t = 0; t < count; t++) audio[r, t, 0] = rows[r][from + t];
        var st = new DenseTensor<float>(state, [1, b, GruModel.Hidden]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("audio", audio), NamedOnnxValue.CreateFromTensor("state_in", st)]);
        var o = results.First(x => x.Name == "audio_out").AsTensor<float>().ToArray();
        var s = results.First(x => x.Name == "state_out").AsTensor<float>().ToArray();
        return (o, s);
    }

    [Fact]
    public void ForwardMatchesOnnxRuntimesGruOperator()
    {
        using var dir = new TempDir();
        var rng = new Rng(1);
        for (int trial = 0; trial < 3; trial++)
        {
            var m = RandomModel(10 + (ulong)trial);
            OnnxExport.Save(m, dir["m.onnx"]);
            using var session = new InferenceSession(dir["m.onnx"]);
            const int rows = 3, length = 700;
            var x = RandomRows(20 + (ulong)trial, rows, length);
            var h0 = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, GruModel.Hidden).Select(_ => rng.Uniform(-0.8, 0.8)).ToArray()).ToArray();
            var (ours, state) = Forward(m, x, h0);
            var (theirs, theirState) = RunOnnx(session, x, 0, length, h0.SelectMany(r => r.Select(v => (float)v)).ToArray());
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < length; t++) Assert.Equal(theirs[r * length + t], ours[r][t], 2e-5);
                for (int k = 0; k < GruModel.Hidden; k++) Assert.Equal(theirState[r * GruModel.Hidden + k], state[r][k], 2e-5);
            }
        }
    }

    [Fact]
    public void ExportedModelStreamedBlockByBlockInOnnxRuntimeEqualsOurForward()
    {
        using var dir = new TempDir();
        var m = RandomModel(3);
        OnnxExport.Save(m, dir["m.onnx"]);
        using var session = new InferenceSession(dir["m.onnx"]);
        Assert.Equal(OnnxExport.ModelName, session.ModelMetadata.CustomMetadataMap["name"]);
        const int length = 2000;
        var x = RandomRows(4, 1, length);
        var stream = new GruStream(m);
        var ours = new float[length];
        stream.Process(x[0], ours);
        var state = new float[GruModel.Hidden];
        int pos = 0;
        foreach (int block in new[] { 1, 7, 64, 500, 1000, 428 })
        {
            var (o, s) = RunOnnx(session, x, pos, block, state);
            for (int t = 0; t < block; t++) Assert.Equal(o[t], ours[pos + t], 2e-5);
            state = s;
            pos += block;
        }
        Assert.Equal(length, pos);
    }

    [Fact]
    public void StreamingInAnyBlocksEqualsTheWholeFileAndTheBatchForward()
    {
        var m = RandomModel(5);
        var x = RandomRows(6, 1, 5000)[0];
        var whole = new float[x.Length];
        new GruStream(m).Process(x, whole);
        var s = new GruStream(m);
        var rng = new Rng(7);
        var streamed = new float[x.Length];
        for (int pos = 0; pos < x.Length;)
        {
            int n = Math.Min(x.Length - pos, 1 + rng.Next(300));
            s.Process(x.AsSpan(pos, n), streamed.AsSpan(pos, n));
            pos += n;
        }
        Assert.Equal(whole, streamed);
        var (batch, _) = Forward(m, [x], [new double[GruModel.Hidden]]);
        for (int t = 0; t < x.Length; t++) Assert.Equal(batch[0][t], whole[t], 1e-6);
        // Reset clears the state.
        s.Reset();
        var again = new float[x.Length];
        s.Process(x, again);
        Assert.Equal(whole, again);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void CompressorPlusGruStreamingEqualsWholeFileRendering(int delay)
    {
        using var dir = new TempDir();
        var m = RandomModel(12, 0.5);
        var settings = PublishedSettings.At(La2aMode.Limit, 70);
        var x = MusicGenerator.Generate(2, 44100, 8);
        var stereo = new[] { x, x.Select(v => 0.3f * v).ToArray() };
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(stereo, 44100));
        var model = CompressorModel.FromSamples(settings, delay, 44100);
        FileRenderer.Render(dir["in.wav"], dir["out.wav"], model.WithoutMakeUp(), linked: true, gru: m);
        var whole = WavFile.Read(dir["out.wav"]).Channels;

        var p = new CompressorGruProcessor(model, m, 44100, 2, linked: true);
        var rng = new Rng(2);
        var streamed = new[] { new List<float>(), new List<float>() };
        for (int pos = 0; pos < x.Length;)
        {
            int n = Math.Min(x.Length - pos, 1 + rng.Next(3000));
            var inBlock = TestSignals.Interleave(stereo.Select(c => c.AsSpan(pos, n).ToArray()).ToArray());
            var outBlock = new float[inBlock.Length];
            p.Process(inBlock, outBlock);
            var planar = TestSignals.Deinterleave(outBlock, 2);
            for (int c = 0; c < 2; c++) streamed[c].AddRange(planar[c]);
            pos += n;
        }
        var tailI = new float[2 * delay];
        p.Flush(tailI);
        var tail = TestSignals.Deinterleave(tailI, 2);
        for (int c = 0; c < 2; c++)
        {
            streamed[c].AddRange(tail[c]);
            Assert.All(streamed[c].Take(delay), v => Assert.Equal(0f, v));
            Assert.Equal(whole[c], streamed[c].Skip(delay).ToArray());
        }
    }

    [Fact]
    public void AdamTakesTheHandComputedSteps()
    {
        // p0 = 1, lr = 0.1, gradients 0.5, −1, 0.25 (values worked out by hand from the update rule).
        var adam = new Adam(1, 0.1);
        var p = new[] { 1.0 };
        adam.Update(p, [0.5]);
        Assert.Equal(0.900000002, p[0], 15);
        adam.Update(p, [-1.0]);
        Assert.Equal(0.9366103542405654, p[0], 14);
        adam.Update(p, [0.25]);
        Assert.Equal(0.9502794203389762, p[0], 14);
        Assert.Equal(3, adam.Step);
    }

    /// <summary>Sources, and targets from a known small nonlinear recurrent gain: y = x·(1 − 0.5·tanh(8·e)), e a smoothed |x|.</summary>
    internal static GruTrainingData RecurrentGainData(int rows, int length)
    {
        var x = RandomRows(40, rows, length);
        var y = x.Select(r =>
        {
            var o = new float[r.Length];
            double e = 0;
            for (int t = 0; t < r.Length; t++)
            {
                e += 0.002 * (Math.Abs(r[t]) - e);
                o[t] = (float)(r[t] * (1 - 0.5 * Math.Tanh(8 * e)));
            }
            return o;
        }).ToArray();
        return new GruTrainingData(x, y, Enumerable.Range(0, rows).Select(i => $"row{i}.wav").ToArray(), 16000);
    }

    [Fact]
    public void TrainingOnAKnownRecurrentGainLowersTheEsrByALargeFactor()
    {
        using var dir = new TempDir();
        var data = RecurrentGainData(4, 32000);
        var options = new GruTrainingOptions { Epochs = 25, Chunk = 2048, Seed = 1, LearningRate = 5e-3 };
        var before = Esr(GruModel.Initialise(1), data);
        var identity = EsrOf(data.Inputs, data.Targets);
        var result = GruTrainer.Train(data, options, dir.Path);
        var after = Esr(GruCheckpoint.Load(dir["best.json"]).Model(), data);
        Assert.True(after < identity / 5 && after < before / 5, $"ESR {before:G4} (initial model), {identity:G4} (no correction) → {after:G4}");
        Assert.True(File.Exists(dir["last.json"]));
        Assert.True(result.BestLoss <= result.Loss);
    }

    private static double Esr(GruModel m, GruTrainingData d)
    {
        var outs = d.Inputs.Select(x => { var o = new float[x.Length]; new GruStream(m).Process(x, o); return o; }).ToArray();
        return EsrOf(outs, d.Targets);
    }

    private static double EsrOf(float[][] pred, float[][] target)
    {
        double e = 0, t = 0;
        for (int r = 0; r < pred.Length; r++)
        {
            var a = ReferenceLoss.PreFilter(pred[r].Select(v => (double)v).ToArray());
            var b = ReferenceLoss.PreFilter(target[r].Select(v => (double)v).ToArray());
            for (int i = 0; i < a.Length; i++) { e += (a[i] - b[i]) * (a[i] - b[i]); t += b[i] * b[i]; }
        }
        return e / t;
    }

    [Fact]
    public void ResumedTrainingContinuesExactlyWhereItStopped()
    {
        using var whole = new TempDir();
        using var split = new TempDir();
        var data = RecurrentGainData(5, 12000);
        var options = new GruTrainingOptions { Epochs = 4, Chunk = 1500, Seed = 9, Patience = 10 };
        var full = GruTrainer.Train(data, options, whole.Path);
        GruTrainer.Train(data, options with { Epochs = 2 }, split.Path);
        var resumed = GruTrainer.Train(data, options, split.Path);
        Assert.Equal(4, resumed.Epoch);
        foreach (var (name, t) in full.StateDict) Assert.Equal(t.Values, resumed.StateDict[name].Values);
        Assert.Equal(full.Optimizer!.M, resumed.Optimizer!.M);
        Assert.Equal(full.Shifts, resumed.Shifts);
        Assert.Equal(full.BestLoss, resumed.BestLoss);
    }

    [Fact]
    public void CheckpointRoundTripsAndWeightsJsonUsesPyTorchNames()
    {
        using var dir = new TempDir();
        var m = RandomModel(11);
        var c = new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(m), Options = new GruTrainingOptions() };
        c.Save(dir["c.json"]);
        Assert.Equal(m.Parameters, GruCheckpoint.Load(dir["c.json"]).Model().Parameters);
        using var doc = System.Text.Json.JsonDocument.Parse(OnnxExport.WeightsJson(m));
        var sd = doc.RootElement.GetProperty("state_dict");
        Assert.Equal([24, 8], sd.GetProperty("rec.weight_hh_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(m.Whh(13, 5), sd.GetProperty("rec.weight_hh_l0").GetProperty("data")[13][5].GetDouble());
        Assert.Equal(m.LinB, sd.GetProperty("lin.bias").GetProperty("data")[0].GetDouble());
        File.WriteAllText(dir["bad.json"], "{\"state_dict\": {}}");
        var e = Assert.Throws<InputException>(() => GruCheckpoint.Load(dir["bad.json"]));
        Assert.Contains("bad.json", e.Message);
    }
}
