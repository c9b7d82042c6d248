
namespace Newtone.Tests;

/// <summary>Targets made by the compressor with known parameters: the fit must find them.</summary>
public class FitRecoveryTests
{
    private const int Sr = 44100;

    internal static void AssertRecovered(CompressorSettings truth, CompressorSettings fitted)
    {
        // Physical parameters within 0.5 %; the two dB quantities within 0.05 dB.
        Assert.True(Math.Abs(fitted.ThresholdDb - truth.ThresholdDb) <= 0.05, $"threshold {fitted.ThresholdDb} vs {truth.ThresholdDb}");
        Assert.True(Math.Abs(fitted.MakeUpDb - truth.MakeUpDb) <= 0.05, $"make-up {fitted.MakeUpDb} vs {truth.MakeUpDb}");
        Assert.True(Math.Abs(fitted.Ratio / truth.Ratio - 1) <= 0.005, $"ratio {fitted.Ratio} vs {truth.Ratio}");
        Assert.True(Math.Abs(fitted.AttackMs / truth.AttackMs - 1) <= 0.005, $"attack {fitted.AttackMs} vs {truth.AttackMs}");
        Assert.True(Math.Abs(fitted.ReleaseMs / truth.ReleaseMs - 1) <= 0.005, $"release {fitted.ReleaseMs} vs {truth.ReleaseMs}");
    }

    public static TheoryData<string, double, ulong> Settings => new()
    {
        { "compress 75", 24, 1 },
        { "limit 100", 24, 2 },
        { "compress 40", 24, 2 },
        { "fast, low threshold", 24, 1 },
    };

    private static CompressorSettings Named(string name) => name switch
    {
        "compress 75" => PublishedSettings.At(La2aMode.Compress, 75),
        "limit 100" => PublishedSettings.At(La2aMode.Limit, 100),
        "compress 40" => PublishedSettings.At(La2aMode.Compress, 40),
        _ => new CompressorSettings(-45, 2, 0.3, 30, -3),
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void RecoversKnownParametersFromTheDefaultStart(string name, double seconds, ulong seed)
    {
        var truth = Named(name);
        var (x, y) = TestSignals.Pair(seconds, Sr, truth, seed);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var result = Fitter.Fit(data, ParameterSpace.Default(Sr), new FitOptions());
        AssertRecovered(truth, result.Settings);
        Assert.True(result.Esr < 1e-6, $"ESR {result.Esr}");
    }

    /// <summary>
    /// The local-minimum case of the fitting issue: 35 s of music, target from T −21.9 dB, R 4.24,
    /// attack 2.86 ms, release 243 ms, M 0.34 dB plus noise at −70 dBFS.
    /// </summary>
    [Fact]
    public void FindsTheTrueOptimumInTheLocalMinimumCase()
    {
        var truth = new CompressorSettings(-21.9, 4.24, 2.86, 243, 0.34);
        var (x, y) = TestSignals.Pair(35, Sr, truth, seed: 1, noiseDbfs: -70);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var space = ParameterSpace.Default(Sr);
        var result = Fitter.Fit(data, space, new FitOptions());
        AssertRecovered(truth, result.Settings);
        double atTruth = new Objective(data, space).Loss(space.FromSettings(truth)).Loss;
        Assert.True(result.Loss <= atTruth * 1.0001, $"loss {result.Loss} vs {atTruth} at the true parameters");
    }

    /// <summary>
    /// A case where plain Newton from the default start (global stage off, as the reference does)
    /// stops in a local minimum on this signal, and the global stage finds the true optimum.
    /// </summary>
    [Fact]
    public void GlobalStageEscapesALocalMinimumThatTrapsPlainNewton()
    {
        var truth = new CompressorSettings(-10, 8, 20, 900, 2);
        var (x, y) = TestSignals.Pair(24, Sr, truth, seed: 2, noiseDbfs: -70);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var space = ParameterSpace.Default(Sr);
        double atTruth = new Objective(data, space).Loss(space.FromSettings(truth)).Loss;
        var plain = Fitter.Fit(data, space, new FitOptions { Search = new SearchOptions { Enabled = false } });
        var global = Fitter.Fit(data, space, new FitOptions());
        Assert.True(plain.Loss > 1.1 * atTruth, $"plain Newton reached {plain.Loss} (truth {atTruth}): no longer a local-minimum case");
        Assert.True(global.Loss <= atTruth * 1.0001, $"global stage reached {global.Loss}, truth {atTruth}");
        Assert.NotNull(global.Search);
        Assert.Equal(4, global.Search!.Starts.Count);
        Assert.Equal("initial point", global.Search.Starts[0].Label);
    }

    [Fact]
    public void ConjugateGradientReachesTheSameOptimum()
    {
        var truth = PublishedSettings.At(La2aMode.Compress, 75);
        var (x, y) = TestSignals.Pair(24, Sr, truth, seed: 3);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var result = Fitter.Fit(data, ParameterSpace.Default(Sr), new FitOptions { Newton = new NewtonOptions { ConjugateGradient = true } });
        AssertRecovered(truth, result.Settings);
    }

    [Fact]
    public void DelayIsRecoveredWhenTheTargetHasLookAhead()
    {
        var truth = new CompressorSettings(-24, 3, 4, 150, 0.5);
        var (x, y) = TestSignals.Pair(24, Sr, truth, seed: 4, delay: 32);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var result = Fitter.Fit(data, ParameterSpace.Default(Sr), new FitOptions { Delay = 32 });
        AssertRecovered(truth, result.Settings);
    }

    [Fact]
    public void InverseModeLowersItsLossFromTheStart()
    {
        var truth = PublishedSettings.At(La2aMode.Compress, 75);
        var (x, y) = TestSignals.Pair(24, Sr, truth, seed: 5);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var space = ParameterSpace.Default(Sr);
        var objective = new Objective(data, space, ObjectiveMode.Inverse);
        var start = objective.Loss(space.FromSettings(FitOptions.DefaultInitial));
        var result = Fitter.Fit(data, space, new FitOptions { Mode = ObjectiveMode.Inverse });
        Assert.True(result.Loss < 0.1 * start.Loss, $"inverse loss {result.Loss} from {start.Loss}");
        Assert.True(Math.Abs(result.Settings.ThresholdDb - truth.ThresholdDb) < 3);
    }

    [Fact]
    public void TheFittedLossIsKeptAsTheLowestSeen()
    {
        var truth = PublishedSettings.At(La2aMode.Limit, 90);
        var (x, y) = TestSignals.Pair(24, Sr, truth, seed: 6, noiseDbfs: -60);
        var data = TestSignals.Set(x, y, Sr, 12, 1);
        var result = Fitter.Fit(data, ParameterSpace.Default(Sr), new FitOptions { Search = new SearchOptions { Enabled = false } });
        Assert.Equal(result.History.Min(h => h.Loss), result.Loss, result.Loss * 1e-12);
        Assert.Contains(result.Stop, new[] { StopReason.Converged, StopReason.LineSearch });
    }
}
