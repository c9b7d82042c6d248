
namespace Newtone.Tests;

/// <summary>The opto model fitted by Newton (docs/model.md §11): known parameters recovered from the default start, warm starts.</summary>
public class OptoRecoveryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Sr = 44100;

    /// <summary>
    /// A test signal that identifies every opto parameter: segments of different lengths (50 ms bursts to 3 s holds) and
    /// depths (from below the threshold through the knee to 24 dB above), each low-, high- or full-band (the emphasis),
    /// separated by quiet gaps of different lengths (the two release stages), seeded.
    /// </summary>
    internal static float[] Signal(double seconds, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[(int)(seconds * Sr)];
        double[] lengths = [0.05, 0.12, 0.3, 0.8, 1.5, 3.0];
        double[] levels = [-40, -30, -26, -22, -18, -12, -6];
        double[] gaps = [0.03, 0.1, 0.4, 1.0, 2.5];
        double phase1 = 0, phase2 = 0, phase3 = 0;
        int pos = 0;
        while (pos < x.Length)
        {
            int len = (int)(lengths[rng.Next(lengths.Length)] * Sr);
            double amp = Math.Pow(10, levels[rng.Next(levels.Length)] / 20);
            int band = rng.Next(3);                     // 0 low, 1 high, 2 both
            double f1 = 80 + 300 * rng.NextDouble(), f2 = 2500 + 4000 * rng.NextDouble(), f3 = 600 + 900 * rng.NextDouble();
            for (int i = 0; i < len && pos < x.Length; i++, pos++)
            {
                phase1 += 2 * Math.PI * f1 / Sr;
                phase2 += 2 * Math.PI * f2 / Sr;
                phase3 += 2 * Math.PI * f3 / Sr;
                double low = Math.Sin(phase1) + 0.3 * Math.Sin(phase3), high = Math.Sin(phase2) + 0.2 * (rng.NextDouble() - 0.5);
                double v = band switch { 0 => low, 1 => high, _ => 0.6 * (low + high) };
                x[pos] = (float)(amp * v);
            }
            int gap = (int)(gaps[rng.Next(gaps.Length)] * Sr);
            double quiet = Math.Pow(10, -50.0 / 20);
            for (int i = 0; i < gap && pos < x.Length; i++, pos++)
            {
                phase1 += 2 * Math.PI * f1 / Sr;
                x[pos] = (float)(quiet * Math.Sin(phase1));
            }
        }
        return x;
    }

    /// <summary>
    /// <paramref name="rows"/> independent signals of <paramref name="seconds"/> s, each one frame with 0.5 s of warm-up and
    /// each rendered by the processor from the initial state, as the kernel starts every frame: the slow stage (seconds of
    /// memory) would not forget a continuous render within the usual 1 s of warm-up.
    /// </summary>
    internal static TrainingSet Data(int rows, double seconds, ulong seed, CompressorModel truth)
    {
        var xs = new float[rows][];
        var ys = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            xs[r] = Signal(seconds, seed + (ulong)r);
            ys[r] = new float[xs[r].Length];
            Compressor.Process(xs[r], ys[r], truth, Sr);
        }
        return new TrainingSet(xs, ys, Sr, FrameLayout.FromSeconds(Sr, seconds, 0.5));
    }

    internal static void AssertRecovered(CompressorModel truth, CompressorModel fitted, double tolerance = 0.01, Xunit.Abstractions.ITestOutputHelper? log = null)
    {
        var t = truth.Settings;
        var f = fitted.Settings;
        var to = truth.Opto!;
        var fo = fitted.Opto!;
        var errors = new (string Name, double Fitted, double Truth)[]
        {
            ("threshold", f.ThresholdDb, t.ThresholdDb), ("ratio", f.Ratio, t.Ratio), ("attack", f.AttackMs, t.AttackMs),
            ("release", f.ReleaseMs, t.ReleaseMs), ("make-up", f.MakeUpDb, t.MakeUpDb), ("knee", fo.KneeDb, to.KneeDb),
            ("slow share", fo.SlowShare, to.SlowShare), ("charge", fo.ChargeMs, to.ChargeMs),
            ("slow release", fo.SlowReleaseMs, to.SlowReleaseMs), ("emphasis", fo.Emphasis, to.Emphasis),
        };
        foreach (var e in errors) log?.WriteLine(FormattableString.Invariant($"{e.Name,-13} fitted {e.Fitted:R}  true {e.Truth:R}  relative error {e.Fitted / e.Truth - 1:E2}"));
        var bad = errors.Where(e => !(Math.Abs(e.Fitted / e.Truth - 1) <= tolerance)).ToList();
        Assert.True(bad.Count == 0, string.Join("; ", errors.Select(e => FormattableString.Invariant($"{e.Name} {e.Fitted:G6} vs {e.Truth:G6} ({100 * (e.Fitted / e.Truth - 1):+0.000;-0.000} %)"))));
    }

    internal static readonly CompressorModel Truth = new(new CompressorSettings(-24, 5, 3, 120, 1)) { Opto = new OptoSettings(8, 0.35, 600, 2500, 2) };

    [Fact]
    public void RecoversKnownOptoParametersFromTheDefaultStart()
    {
        var data = Data(4, 12, 21, Truth);
        var space = ParameterSpace.Default(Sr, ModelKind.Opto);
        var result = Fitter.Fit(data, space, new FitOptions { Model = ModelKind.Opto });
        Assert.Equal(ModelKind.Opto, result.Model.Kind);
        AssertRecovered(Truth, result.Model, log: output);
        output.WriteLine(FormattableString.Invariant($"ESR {result.Esr:E2}, {result.Iterations} iterations, winner {result.Search!.Winner}, {result.Seconds:F1} s"));
        Assert.True(result.Esr < 1e-6, $"ESR {result.Esr}");
        Assert.NotNull(result.History[^1].Opto);
        Assert.NotNull(result.Search!.Starts[0].EndOpto);
    }

    [Fact]
    public void AWarmStartFromAnFf5ModelTakesTheExtrasFromTheInitialOpto()
    {
        var data = Data(1, 6, 22, Truth);
        var space = ParameterSpace.Default(Sr);   // no opto ranges: the fit uses the defaults
        var ff5 = new CompressorModel(Truth.Settings);
        var options = new FitOptions { Model = ModelKind.Opto, Search = new SearchOptions { Enabled = false }, Newton = new NewtonOptions { MaxIterations = 3 } }
            .WarmStartFrom(ff5);
        Assert.Equal(FitOptions.DefaultInitialOpto, options.InitialOpto);
        Assert.True(options.WarmStart);
        var result = Fitter.Fit(data, space, options);
        Assert.NotNull(result.Model.Opto);
        var first = result.History[0];
        Assert.NotNull(first.Opto);
        // From an opto model the extras come along.
        Assert.Equal(Truth.Opto, new FitOptions().WarmStartFrom(Truth).InitialOpto);
        var objective = new Objective(data, space.WithOpto(OptoRanges.Default));
        double start = objective.Loss(space.WithOpto(OptoRanges.Default).FromSettings(Truth.Settings, FitOptions.DefaultInitialOpto, out _)).Loss;
        Assert.True(result.Loss < start, $"loss {result.Loss} from {start}");
    }
}
