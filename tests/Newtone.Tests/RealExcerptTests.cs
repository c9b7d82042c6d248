
namespace Newtone.Tests;

/// <summary>
/// Real LA-2A recordings (../shared/data/la2a, skipped when absent): the fit must beat the best
/// gain-only match, and on pr20_limit reach ESR ≤ 0.57 % from the default start (the reference stops
/// at 2.12 % there).
/// </summary>
public class RealExcerptTests
{
    private static (TrainingSet Data, ParameterSpace Space) Load(string name)
    {
        var x = WavFile.Read(SharedData.Path2("data", "la2a", $"{name}_input.wav"));
        var y = WavFile.Read(SharedData.Path2("data", "la2a", $"{name}_target.wav"));
        var data = new TrainingSet(x.Channels, y.Channels, x.SampleRate, FrameLayout.FromSeconds(x.SampleRate, 4, 0.5));
        return (data, ParameterSpace.Default(x.SampleRate));
    }

    /// <summary>Best single scale factor, same metric as the fit (pre-filtered, frames beyond the overlap), computed directly.</summary>
    private static double GainOnlyEsr(TrainingSet data)
    {
        double xy = 0, xx = 0, yy = 0;
        foreach (var f in data.Frames)
        {
            var px = ReferenceLoss.PreFilter(data.Input[f.Channel].AsSpan(f.Start, data.Layout.FrameLength).ToArray().Select(v => (double)v).ToArray());
            var pt = ReferenceLoss.PreFilter(data.Target[f.Channel].AsSpan(f.Start, data.Layout.FrameLength).ToArray().Select(v => (double)v).ToArray());
            for (int n = data.Layout.Overlap; n < px.Length; n++) { xy += px[n] * pt[n]; xx += px[n] * px[n]; yy += pt[n] * pt[n]; }
        }
        return 1 - xy * xy / (xx * yy);
    }

    [SharedFact]
    public void Pr20LimitReachesTheBetterOptimumFromTheDefaultStart()
    {
        var (data, space) = Load("pr20_limit");
        var result = Fitter.Fit(data, space, new FitOptions());
        Assert.True(result.Esr <= 0.0057, $"ESR {100 * result.Esr:F3} %");
        Assert.True(result.Esr < GainOnlyEsr(data) / 5);
    }

    [SharedFact]
    public void EveryExcerptBeatsTheBestGainOnlyMatch()
    {
        foreach (var name in new[] { "pr20_limit", "pr40_comp", "pr80_comp_mp3" })
        {
            var (data, space) = Load(name);
            var result = Fitter.Fit(data, space, new FitOptions());
            double gain = GainOnlyEsr(data);
            Assert.True(result.Esr < gain, $"{name}: fit ESR {100 * result.Esr:F3} % vs gain-only {100 * gain:F3} %");
        }
    }
}
