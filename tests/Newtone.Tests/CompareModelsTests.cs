using System.Text.Json;

namespace Newtone.Tests;

/// <summary><c>newtone compare-models</c> and <c>fit model=opto</c> as a user runs them.</summary>
public class CompareModelsTests
{
    private const int Sr = 16000;

    [Fact]
    public void OptoDataIsBetterExplainedByOptoOnHeldOutAudio()
    {
        using var dir = new TempDir();
        // A recording made by an opto model: ff5 cannot express its soft knee and slow tail, so on audio neither fit saw,
        // the opto fit must do better, and both runs carry their model.
        var truth = new CompressorModel(new CompressorSettings(-24, 6, 2, 120, 3)) { Opto = new OptoSettings(10, 0.45, 600, 2500, 1.5) };
        var x = MusicGenerator.Generate(12, Sr, 77);
        for (int i = 0; i < x.Length; i++) x[i] *= (i / (Sr * 3 / 2)) % 3 == 1 ? 0.15f : 1f;   // level steps: the slow stage shows
        var y = new float[x.Length];
        Compressor.Process(x, y, truth, Sr);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir["out.wav"], new AudioBuffer([y], Sr));
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "compare-models", "in.wav", "out.wav", "-q", "--out", "models",
            "data.duration=8", "data.overlap=1", "search.seconds=8", "search.excerpt=4");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("opto is better on the held-out audio", stdout);

        var ff5 = RunParameters.Load(dir["models/ff5"]);
        var opto = RunParameters.Load(dir["models/opto"]);
        Assert.Equal(ModelKind.Ff5, ff5.Kind);
        Assert.Equal(ModelKind.Opto, opto.Kind);
        Assert.Equal(5, ff5.Logits.Length);
        Assert.Equal(10, opto.Logits.Length);
        Assert.Equal(0.3, opto.Holdout);   // the default hold-out
        Assert.True(opto.HoldoutEsr < 0.5 * ff5.HoldoutEsr, $"opto {opto.HoldoutEsr} vs ff5 {ff5.HoldoutEsr} held out");
        Assert.True(opto.Esr < ff5.Esr);
        using (var json = JsonDocument.Parse(File.ReadAllText(dir["models/opto/params.json"])))
        {
            Assert.Equal("opto", json.RootElement.GetProperty("model").GetString());
            foreach (var key in new[] { "knee_db", "slow_share", "charge_ms", "slow_release_ms", "emphasis" })
                Assert.True(json.RootElement.TryGetProperty(key, out _), key);
            Assert.True(json.RootElement.GetProperty("ranges").TryGetProperty("knee_db", out _));
            // The global stage's starts carry the extras too.
            Assert.All(json.RootElement.GetProperty("search").GetProperty("starts").EnumerateArray(),
                st => Assert.Equal(10, st.GetProperty("end").GetArrayLength()));
        }
        using (var json = JsonDocument.Parse(File.ReadAllText(dir["models/ff5/params.json"])))
            Assert.False(json.RootElement.TryGetProperty("knee_db", out _));   // ff5 files stay as they were

        // The stored opto model reproduces its stored held-out ESR through the plain implementation.
        var m = opto.Model;
        var xd = x.Select(v => (double)v).ToArray();
        var g = OptoReference.SmoothedGain(xd, m, Sr);
        var p = ReferenceLoss.PreFilter(xd.Select((v, n) => (double)(float)(ReferenceLoss.Amp(m.Settings.MakeUpDb) * g[n] * v)).ToArray());
        var q = ReferenceLoss.PreFilter(y.Select(v => (double)v).ToArray());
        int split = (int)Math.Floor(x.Length * 0.7);
        double e = 0, en = 0;
        for (int n = split; n < x.Length; n++) { e += (p[n] - q[n]) * (p[n] - q[n]); en += q[n] * q[n]; }
        Assert.Equal(e / en, opto.HoldoutEsr!.Value, e / en * 1e-5);

        // history.csv of the opto run: the extras after the ff5 columns, one row per iteration.
        var history = File.ReadAllLines(dir["models/opto/history.csv"]);
        Assert.EndsWith(",seconds,knee_db,slow_share,charge_ms,slow_release_ms,emphasis", history[0]);
        Assert.All(history.Skip(1), l => Assert.Equal(19, l.Split(',').Length));
        Assert.DoesNotContain("knee_db", File.ReadAllLines(dir["models/ff5/history.csv"])[0]);

        var csv = File.ReadAllLines(dir["models/comparison.csv"]);
        Assert.Equal("model,parameters,train_esr,train_gain_only_esr,holdout_esr,holdout_gain_only_esr,seconds,run", csv[0]);
        Assert.StartsWith("ff5,5,", csv[1]);
        Assert.StartsWith("opto,10,", csv[2]);

        // The config carries the model; a warm start from the opto run keeps its extras.
        var back = FitConfig.Load(dir["models/opto/config.yaml"], []);
        Assert.Equal(ModelKind.Opto, back.Model);
        Assert.Equal(opto.Opto, back.ToFitOptions(opto.Model).InitialOpto);
    }

    [Fact]
    public void BadInputForTheNewKeysAndCommandsIsOneLineBeforeAnyWork()
    {
        using var dir = new TempDir();
        var (x, y) = TestSignals.Pair(4, Sr, PublishedSettings.At(La2aMode.Compress, 60), 5);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir["out.wav"], new AudioBuffer([y], Sr));
        File.WriteAllText(dir["afile"], "x");
        void Refused(string expect, params string[] args)
        {
            var (exit, stdout, stderr) = Cli.Run(dir.Path, args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit} {stderr}{stdout}");
            Assert.Contains(expect, stderr);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.DoesNotContain("Fit finished", stdout);   // refused before fitting
        }
        Refused("afile: is a file", "compare-models", "in.wav", "out.wav", "--out", "afile");
        Refused("data.holdout", "compare-models", "in.wav", "out.wav", "--out", "m", "data.holdout=0");
        Refused("ckpt_dir is a file", "fit", "ckpt_dir=afile", "data.train.input=in.wav", "data.train.target=out.wav", "data.duration=2");
        File.WriteAllText(dir["c.yaml"], "model: opto\n");
        Refused("compare-models sets model", "compare-models", "in.wav", "out.wav", "-c", "c.yaml");
        Refused("compressor.range.knee_db: this range has no unbounded fall-back", "fit", "model=opto", "ckpt_dir=r", "compressor.range.knee_db=null",
            "data.train.input=in.wav", "data.train.target=out.wav");
        Assert.False(Directory.Exists(dir["m"]));

        // The opto ranges take dotted min/max like the reference's ranges.
        var c = FitConfig.Load(null, ["model=opto", "compressor.range.knee_db.min=2", "compressor.range.emphasis.max=3"]);
        Assert.Equal(new PhysicalRange(2, 24), c.Compressor.Range.KneeDb);
        Assert.Equal(new PhysicalRange(-0.9, 3), c.Compressor.Range.Emphasis);

        // A hand-edited params.json: the field is named, not a .NET type.
        var (ok, _, err) = Cli.Run(dir.Path, "fit", "-q", "model=opto", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav",
            "data.duration=2", "data.overlap=0.5", "epochs=2", "search.enabled=false");
        Assert.True(ok == 0, err);
        string json = File.ReadAllText(dir["run/params.json"]);
        File.WriteAllText(dir["run/params.json"], System.Text.RegularExpressions.Regex.Replace(json, "\"knee_db\": [^,]*,", "\"knee_db\": \"abc\","));
        var bad = Cli.Run(dir.Path, "process", "in.wav", "p.wav", "--run", "run");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("knee_db: a value of the wrong type", bad.Err);
        Assert.DoesNotContain("System.", bad.Err);
    }

    [Fact]
    public void CompareModelsRefusesModelAndCkptDir()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = Cli.Run(dir.Path, "compare-models", "in.wav", "out.wav", "model=opto");
        Assert.Equal(2, exit);
        Assert.Contains("model", stderr);
    }
}
