namespace Newtone.Tests;

/// <summary>
/// One model carried end to end (issue 8): a run's look-ahead reaches `process --run`, presets and evaluation;
/// the typed configuration keeps awkward paths and reloads from any working directory.
/// </summary>
public class ModelCarriageTests
{
    private const int Sr = 16000;

    private static double WholeFileEsr(float[] prediction, float[] target)
    {
        var p = ReferenceLoss.PreFilter(prediction.Select(v => (double)v).ToArray());
        var t = ReferenceLoss.PreFilter(target.Select(v => (double)v).ToArray());
        double e = 0, s = 0;
        for (int i = 0; i < t.Length; i++) { e += (p[i] - t[i]) * (p[i] - t[i]); s += t[i] * t[i]; }
        return e / s;
    }

    [Fact]
    public void ProcessRunReproducesADelayedRunsEsr()
    {
        using var dir = new TempDir();
        const int delay = 120;
        var truth = PublishedSettings.At(La2aMode.Compress, 70);
        var (x, y) = TestSignals.Pair(8, Sr, truth, 41, noiseDbfs: -80, delay: delay);
        WavFile.WriteFloat(dir["x.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir["y.wav"], new AudioBuffer(y, Sr));
        var fit = Cli.Run(dir.Path, "fit", "ckpt_dir=run", "data.train.input=x.wav", "data.train.target=y.wav",
            $"compressor.delay={delay}", "data.duration=3", "data.overlap=0.5", "-q");
        Assert.True(fit.Exit == 0, fit.Err + fit.Out);
        var run = RunParameters.Load(dir["run"]);
        Assert.Equal(delay, run.Model.LookAheadSamples(Sr));

        var proc = Cli.Run(dir.Path, "process", "x.wav", "out.wav", "--run", "run");
        Assert.True(proc.Exit == 0, proc.Err + proc.Out);
        var output = WavFile.Read(dir["out.wav"]).Channels[0];
        Assert.Equal(x.Length, output.Length);
        double viaProcess = WholeFileEsr(output, y);
        // The same number from the whole-file evaluation of the run's model (an independent streaming path) ...
        double gt = FileEsr.Compute(dir["x.wav"], dir["y.wav"], [run.Model])[0];
        Assert.Equal(gt, viaProcess, gt * 1e-6);
        // ... at the level of the fit's own ESR, far below what the model gives with its look-ahead dropped.
        Assert.InRange(viaProcess, 0, 3 * run.Esr + 1e-6);
        double withoutLookAhead = FileEsr.Compute(dir["x.wav"], dir["y.wav"], [run.Model with { LookAheadMs = 0 }])[0];
        Assert.True(withoutLookAhead > 4 * viaProcess, $"{withoutLookAhead} vs {viaProcess}; run {run.Esr} {run.Settings} truth {truth}");
    }

    [Fact]
    public void ModelKeepsTheLookAheadExactAtItsOwnRateAndScalesAtOthers()
    {
        var m = CompressorModel.FromSamples(new CompressorSettings(-20, 4, 1, 100, 0), 400, 44100);
        Assert.Equal(400, m.LookAheadSamples(44100));
        Assert.Equal(435, m.LookAheadSamples(48000));   // 9.0703 ms at 48 kHz
        foreach (int d in new[] { 0, 1, 7, 399, 401, 65536, 1_000_000 })
            Assert.Equal(d, CompressorModel.FromSamples(m.Settings, d, 44100).LookAheadSamples(44100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorModel(m.Settings, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorModel(m.Settings with { Ratio = 0.5 }));
    }

    [Fact]
    public void PresetsFromRunsCarryTheirLookAhead()
    {
        var knots = new[] { 40, 70, 100 }.Select(p => (p, CompressorModel.FromSamples(PublishedSettings.At(La2aMode.Limit, p), 64, 44100))).ToList();
        var presets = new La2aPresets(knots);
        Assert.Equal(64, presets.At(55).LookAheadSamples(44100));
        knots[1] = (70, new CompressorModel(PublishedSettings.At(La2aMode.Limit, 70)));
        Assert.Throws<ArgumentException>(() => new La2aPresets(knots));
    }

    [Theory]
    [InlineData("/tmp/x/my run #1")]
    [InlineData("runs/a: b")]
    [InlineData("it's \"quoted\"")]
    public void PathsWithHashesColonsAndQuotesSurviveOverridesAndTheSavedFile(string path)
    {
        var c = FitConfig.Load(null, [$"ckpt_dir={path}", $"data.train.input={path}.wav", "data.train.target=t.wav"]);
        Assert.Equal(path, c.CkptDir);
        Assert.Equal(path + ".wav", c.Data.Train.Input);
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], c.ToYaml());
        var back = FitConfig.Load(dir["c.yaml"], []);
        Assert.Equal(path, back.CkptDir);
        Assert.Equal(c, back);
    }

    [Fact]
    public void QuotedOverrideValuesAreYamlAndUnquotedTextIsLiteral()
    {
        var c = FitConfig.Load(null, ["ckpt_dir='a # b'", "data.train.input=\"x.wav\"", "data.train.target=null"]);
        Assert.Equal("a # b", c.CkptDir);
        Assert.Equal("x.wav", c.Data.Train.Input);
        Assert.Null(c.Data.Train.Target);
    }

    [Fact]
    public void ASavedConfigLoadsBackFromAnotherWorkingDirectory()
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Compress, 80);
        var (x, y) = TestSignals.Pair(5, Sr, truth, 5, noiseDbfs: -80);
        Directory.CreateDirectory(dir["data"]);
        WavFile.WriteFloat(dir["data/x.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir["data/y.wav"], new AudioBuffer(y, Sr));
        var first = Cli.Run(dir.Path, "fit", "ckpt_dir=run one", "data.train.input=data/x.wav", "data.train.target=data/y.wav",
            "data.duration=2", "data.overlap=0.5", "epochs=3", "search.enabled=false", "-q");
        Assert.True(first.Exit == 0, first.Err + first.Out);
        // From another folder, the saved file names the same audio and run directory.
        Directory.CreateDirectory(dir["elsewhere"]);
        var again = Cli.Run(dir["elsewhere"], "fit", dir["run one/config.yaml"], $"ckpt_dir={dir["run two"]}", "-q");
        Assert.True(again.Exit == 0, again.Err + again.Out);
        Assert.Equal(RunParameters.Load(dir["run one"]).Input, RunParameters.Load(dir["run two"]).Input);
        Assert.Equal(RunParameters.Load(dir["run one"]).Settings, RunParameters.Load(dir["run two"]).Settings);
    }

    [Fact]
    public void SweepAndConfigAreBuiltFromTheTypedRecord()
    {
        var baseConfig = FitConfig.Load(null, ["epochs=7", "search.seed=3"]);
        var level = baseConfig with { CkptDir = "x", Compressor = baseConfig.Compressor with { Delay = 5 } };
        Assert.Equal(7, level.Newton.MaxIterations);
        Assert.Equal(5, level.ToFitOptions().Delay);
        Assert.Equal(3UL, level.ToFitOptions().Search.Seed);
        Assert.Contains("excerpt: 4", baseConfig.ToYaml());
        Assert.Contains("method: direct", baseConfig.ToYaml());
    }
}
