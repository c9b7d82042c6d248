using System.Text.Json;

namespace Newtone.Tests;

/// <summary><c>newtone fit</c> as a user runs it: files written, reloaded, warm-started; bad input refused.</summary>
public class FitCommandTests
{
    private const int Sr = 16000;

    private static (string Input, string Target) WritePair(TempDir dir, double seconds, CompressorSettings truth, ulong seed, int channels = 1)
    {
        var xs = new float[channels][];
        var ys = new float[channels][];
        for (int c = 0; c < channels; c++)
            (xs[c], ys[c]) = TestSignals.Pair(seconds, Sr, truth, seed + (ulong)c, noiseDbfs: -80);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(xs, Sr));
        WavFile.WriteFloat(dir["out.wav"], new AudioBuffer(ys, Sr));
        return (dir["in.wav"], dir["out.wav"]);
    }

    [Fact]
    public void FitWritesParamsConfigAndHistoryThatReproduceTheEsr()
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Compress, 60);
        var (input, target) = WritePair(dir, 10, truth, 3);
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "fit", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav",
            "data.duration=3", "data.overlap=0.5");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("Fit finished", stdout);
        Assert.Contains("[search", stdout);   // per-iteration lines when redirected

        var p = RunParameters.Load(dir["run"]);
        using var json = JsonDocument.Parse(File.ReadAllText(dir["run/params.json"]));
        foreach (var field in new[] { "threshold_db", "ratio", "attack_ms", "release_ms", "make_up_db", "logits", "sample_rate", "ranges", "loss", "esr", "iterations", "stop_reason", "seconds" })
            Assert.True(json.RootElement.TryGetProperty(field, out _), $"params.json lacks {field}");
        Assert.Equal(Sr, p.SampleRate);
        Assert.Equal(5, p.Logits.Length);
        Assert.Equal(p.Settings, p.Space().ToSettings(Theta.FromSpan(p.Logits)));

        // The stored parameters, run through the plain reference implementation, give the stored ESR.
        var x = WavFile.Read(input);
        var y = WavFile.Read(target);
        var data = new TrainingSet(x.Channels, y.Channels, Sr, FrameLayout.FromSeconds(Sr, 3, 0.5));
        var (loss, energy, _, _) = ReferenceLoss.Evaluate(data, p.Space(), Theta.FromSpan(p.Logits), ObjectiveMode.Forward, 0);
        Assert.Equal(p.Esr, loss / energy, p.Esr * 1e-6);
        Assert.Equal(p.Loss, loss, loss * 1e-6);

        // history.csv: a header and one row per iteration.
        var rows = File.ReadAllLines(dir["run/history.csv"]);
        Assert.StartsWith("stage,iteration,loss", rows[0]);
        Assert.Equal(p.Iterations, rows.Length - 1);
        // config.yaml is the resolved configuration: it loads back and names the same audio.
        var back = FitConfig.Load(dir["run/config.yaml"], []);
        Assert.Equal(3, back.Data.Duration);
        Assert.Equal(dir["in.wav"], back.Data.Train.Input);   // stored absolute: loads back from any working directory
        Assert.Empty(Directory.GetFiles(dir["run"], "*.tmp"));
    }

    [Fact]
    public void WarmStartFromAnEarlierRunConvergesInFewerIterations()
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Limit, 80);
        WritePair(dir, 10, truth, 4);
        string[] common = ["data.train.input=in.wav", "data.train.target=out.wav", "data.duration=3", "data.overlap=0.5"];
        var first = Cli.Run(dir.Path, ["fit", "ckpt_dir=a", .. common]);
        Assert.True(first.Exit == 0, first.Err);
        var second = Cli.Run(dir.Path, ["fit", "ckpt_dir=b", "compressor.init_ckpt=a", .. common]);
        Assert.True(second.Exit == 0, second.Err);
        Assert.Contains("warm start", second.Out);
        var a = RunParameters.Load(dir["a"]);
        var b = RunParameters.Load(dir["b/params.json"]);
        Assert.True(b.Iterations < a.Iterations, $"warm start took {b.Iterations} iterations, cold start {a.Iterations}");
        Assert.True(b.Loss <= a.Loss * (1 + 1e-9));
        Assert.Equal("warm start", b.Search!.Starts[0].Label);
    }

    [Fact]
    public void MultiChannelFilesContributeEachChannelsFrames()
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Compress, 90);
        WritePair(dir, 7, truth, 5, channels: 2);
        var x = WavFile.Read(dir["in.wav"]);
        var y = WavFile.Read(dir["out.wav"]);
        var layout = FrameLayout.FromSeconds(Sr, 3, 0.5);
        var data = new TrainingSet(x.Channels, y.Channels, Sr, layout);
        Assert.Equal(2 * layout.CountFrames(x.Length), data.Frames.Count);
        Assert.Equal([0, 0, 1, 1], data.Frames.Select(f => f.Channel));
        var (exit, _, err) = Cli.Run(dir.Path, "fit", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav", "data.duration=3", "data.overlap=0.5", "-q");
        Assert.True(exit == 0, err);
        FitRecoveryTests.AssertRecovered(truth, RunParameters.Load(dir["run"]).Settings);
    }

    [Fact]
    public void FramingMatchesTheReferencesUnfold()
    {
        // torch.unfold(size F, step hop): floor((N − F)/hop) + 1 frames; a shorter tail is dropped.
        var layout = new FrameLayout(1000, 100);
        Assert.Equal(0, layout.CountFrames(999));
        Assert.Equal(1, layout.CountFrames(1000));
        Assert.Equal(1, layout.CountFrames(1899));
        Assert.Equal(2, layout.CountFrames(1900));
        Assert.Equal(11, layout.CountFrames(10_000));
        var l = FrameLayout.FromSeconds(44100, 12, 1);
        Assert.Equal(529200, l.FrameLength);
        Assert.Equal(485100, l.Hop);
    }

    public static TheoryData<string, string[], string[]> BadInputs => new()
    {
        { "missing", ["data.train.input=missing.wav"], ["missing.wav", "not found"] },
        { "not a wav", ["data.train.input=text.wav"], ["text.wav", "not a readable WAV"] },
        { "rates differ", ["data.train.target=rate.wav"], ["rate.wav", "22050", "16000"] },
        { "lengths differ", ["data.train.target=short.wav"], ["short.wav", "96000", "80000"] },
        { "nan", ["data.train.target=nan.wav"], ["nan.wav", "sample 1234", "NaN"] },
        { "silent", ["data.train.target=silent.wav"], ["silent.wav", "silent"] },
        { "too short", ["data.duration=12"], ["in.wav", "shorter than one frame", "data.duration"] },
        { "unknown key", ["optimiser.alpah=1"], ["optimiser.alpah"] },
        { "bad value", ["epochs=many"], ["epochs"] },
        { "no ckpt_dir", ["ckpt_dir=null"], ["ckpt_dir"] },
        { "bad warm start", ["compressor.init_ckpt=nowhere"], ["nowhere"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineNamingTheProblemAndWritesNothing(string name, string[] overrides, string[] expected)
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Compress, 70);
        WritePair(dir, 6, truth, 6);
        File.WriteAllText(dir["text.wav"], "RIFF but not really");
        WavFile.WriteFloat(dir["rate.wav"], new AudioBuffer(new float[96000], 22050));
        WavFile.WriteFloat(dir["short.wav"], new AudioBuffer(TestSignals.Pair(5, Sr, truth, 1).Target, Sr));
        var nan = WavFile.Read(dir["out.wav"]);
        nan.Channels[0][1234] = float.NaN;
        WavFile.WriteFloat(dir["nan.wav"], nan);
        WavFile.WriteFloat(dir["silent.wav"], new AudioBuffer(new float[96000], Sr));

        string[] args = ["fit", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav", "data.duration=3", "data.overlap=0.5", .. overrides];
        var (exit, stdout, stderr) = Cli.Run(dir.Path, args);
        Assert.True(exit == 2, $"{name}: exit {exit}\n{stdout}\n{stderr}");
        string line = stderr.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        foreach (var e in expected) Assert.Contains(e, line);
        Assert.False(Directory.Exists(dir["run"]), $"{name}: wrote {dir["run"]}");
    }
}
