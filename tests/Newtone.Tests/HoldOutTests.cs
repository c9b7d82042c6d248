using System.Text.Json;

namespace Newtone.Tests;

/// <summary><c>data.holdout</c>: the fit never sees the held-out part, and its score is the §2 definition.</summary>
public class HoldOutTests
{
    private const int Sr = 16000;

    [Fact]
    public void FitIgnoresTheHeldOutPartAndScoresItAsDefined()
    {
        using var dir = new TempDir();
        var truth = PublishedSettings.At(La2aMode.Compress, 60);
        var (x, y) = TestSignals.Pair(10, Sr, truth, 21);
        // The last 30 % of the target comes from another device (a plain 0.7 gain): a fit that saw it could not
        // match the first 70 % to the noise floor, and the held-out score must show the mismatch.
        int split = (int)Math.Floor(x.Length * 0.7);
        for (int n = split; n < x.Length; n++) y[n] = 0.7f * x[n];
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir["out.wav"], new AudioBuffer([y], Sr));
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "fit", "-q", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav",
            "data.duration=3.5", "data.overlap=0.5", "data.holdout=0.3");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("held out the last 3.000 s", stdout);

        var p = RunParameters.Load(dir["run"]);
        Assert.True(p.Esr < 1e-6, $"training ESR {p.Esr}: the fit saw audio it should not have");
        Assert.Equal(0.3, p.Holdout);
        Assert.Equal(3.0, p.HoldoutSeconds!.Value, 1e-9);
        using var json = JsonDocument.Parse(File.ReadAllText(dir["run/params.json"]));
        Assert.True(json.RootElement.TryGetProperty("holdout_esr", out _));

        // The held-out ESR of §2, from the plain reference implementation: the model over the whole input in one pass,
        // pre-filtered from the first sample, errors counted from the split on.
        var xd = x.Select(v => (double)v).ToArray();
        var s = p.Settings;
        var gain = ReferenceLoss.SmoothedGain(xd, s.ThresholdDb, s.Ratio, Ballistics.Coefficient(s.AttackMs, Sr),
            Ballistics.Coefficient(s.ReleaseMs, Sr), out _, out _);
        var pred = ReferenceLoss.PreFilter(xd.Select((v, n) => (double)(float)(ReferenceLoss.Amp(s.MakeUpDb) * gain[n] * v)).ToArray());
        var tgt = ReferenceLoss.PreFilter(y.Select(v => (double)v).ToArray());
        var inp = ReferenceLoss.PreFilter(xd);
        double e = 0, tt = 0, xx = 0, xt = 0;
        for (int n = split; n < x.Length; n++)
        {
            e += (pred[n] - tgt[n]) * (pred[n] - tgt[n]);
            tt += tgt[n] * tgt[n];
            xx += inp[n] * inp[n];
            xt += inp[n] * tgt[n];
        }
        Assert.Equal(e / tt, p.HoldoutEsr!.Value, e / tt * 1e-6);
        Assert.True(p.HoldoutEsr > 1e-3, $"held-out ESR {p.HoldoutEsr}: the other device's part should not be matched");
        Assert.Equal(1 - xt * xt / (xx * tt), p.HoldoutGainOnlyEsr!.Value, 1e-9);
    }

    [Fact]
    public void HoldOutThatLeavesNoFrameIsRefusedWithTheKeyNamed()
    {
        using var dir = new TempDir();
        var (x, y) = TestSignals.Pair(4, Sr, PublishedSettings.At(La2aMode.Compress, 60), 5);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir["out.wav"], new AudioBuffer([y], Sr));
        var (exit, _, stderr) = Cli.Run(dir.Path, "fit", "-q", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav",
            "data.duration=3.5", "data.overlap=0.5", "data.holdout=0.3");
        Assert.Equal(2, exit);
        Assert.Contains("data.holdout", stderr);
        Assert.False(Directory.Exists(dir["run"]));
        (exit, _, stderr) = Cli.Run(dir.Path, "fit", "-q", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav",
            "data.holdout=1");
        Assert.Equal(2, exit);
        Assert.Contains("data.holdout", stderr);
    }
}

/// <summary>The "ended at or near a range limit" notes of params.json.</summary>
public class RangeLimitNoteTests
{
    [Fact]
    public void TimesAreNearALimitOnALogScaleOtherParametersOnALinearOne()
    {
        var space = ParameterSpace.Default(44100, ModelKind.Opto);
        Assert.Empty(FitJob.AtLimits(new CompressorSettings(-30, 4, 1.035, 250, 0), space));   // 1 ms is a decade above 0.1 ms
        Assert.Contains(FitJob.AtLimits(new CompressorSettings(-30, 4, 0.11, 250, 0), space), n => n.StartsWith("attack ended at or near its lower limit"));
        Assert.Contains(FitJob.AtLimits(new CompressorSettings(-30, 4, 1, 960, 0), space), n => n.StartsWith("release ended at or near its upper limit"));
        Assert.Contains(FitJob.AtLimits(new CompressorSettings(-30, 19.7, 1, 250, 0), space), n => n.StartsWith("ratio ended at or near its upper limit"));
        Assert.Empty(FitJob.AtLimits(new CompressorSettings(-30, 19, 1, 250, 0), space));
        var opto = FitJob.AtLimits(new CompressorSettings(-30, 4, 1, 250, 0), space, new OptoSettings(0.1, 0.5, 1000, 2000, 0));
        Assert.Equal(["knee ended at or near its lower limit (0 dB)"], opto);
    }
}
