
namespace Newtone.Tests;

/// <summary>
/// The opto kernels (docs/model.md §11.2): the loss against the plain implementation and against the processor, and the
/// exact gradient and Hessian over all ten θ components against central finite differences of the plain loss.
/// </summary>
public class OptoDerivativeTests
{
    private const int Sr = 16000;

    public static TheoryData<ObjectiveMode, int> Cases => new()
    {
        { ObjectiveMode.Forward, 0 },
        { ObjectiveMode.Forward, 7 },
        { ObjectiveMode.Inverse, 0 },
        { ObjectiveMode.Inverse, 7 },
    };

    internal static (float[] X, float[] Y) Pair(double seconds, int sampleRate, CompressorModel truth, ulong seed, double noiseDbfs)
    {
        var x = MusicGenerator.Generate(seconds, sampleRate, seed);
        // Level steps, so that the knee, the slow stage's charge and its release all act.
        int step = sampleRate / 3;
        for (int i = 0; i < x.Length; i++) x[i] *= (i / step) % 3 == 1 ? 0.15f : 1f;
        var y = new float[x.Length];
        Compressor.Process(x, y, truth, sampleRate);
        if (double.IsFinite(noiseDbfs)) MusicGenerator.AddNoise(y, noiseDbfs, seed + 1000);
        return (x, y);
    }

    private static (TrainingSet Data, ParameterSpace Space, Theta Theta) Problem()
    {
        var truth = new CompressorModel(new CompressorSettings(-22, 4.2, 3.0, 150, 0.5)) { Opto = new OptoSettings(8, 0.35, 400, 1500, 1.5) };
        var (x, y) = Pair(2.2, Sr, truth, seed: 11, noiseDbfs: -60);
        var data = TestSignals.Set(x, y, Sr, duration: 0.8, overlap: 0.1);
        var space = ParameterSpace.Default(Sr, ModelKind.Opto);
        // Away from the optimum, so that the gradient is not small.
        var theta = space.FromSettings(new CompressorSettings(-27, 3.1, 5.0, 90, 1.5), new OptoSettings(5, 0.2, 700, 900, 0.8), out bool clamped);
        Assert.False(clamped);
        return (data, space, theta);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossMatchesPlainImplementation(ObjectiveMode mode, int delay)
    {
        var (data, space, theta) = Problem();
        var objective = new Objective(data, space, mode, delay);
        var expected = OptoReference.Evaluate(data, space.ToModel(theta), mode, delay);
        var loss = objective.Loss(theta);
        var second = objective.Derivatives(theta);
        Assert.Equal(10, second.Gradient.Length);
        Assert.Equal(expected.Loss, loss.Loss, expected.Loss * 1e-9);
        Assert.Equal(expected.Loss, second.Loss, expected.Loss * 1e-9);
        Assert.Equal(expected.RefEnergy, loss.ReferenceEnergy, expected.RefEnergy * 1e-9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void ForwardLossMatchesTheProcessor(int delay)
    {
        var (data, space, theta) = Problem();
        var model = space.ToModel(theta, delay);
        int F = data.Layout.FrameLength, O = data.Layout.Overlap;
        double loss = 0;
        foreach (var f in data.Frames)
        {
            var y = new float[F];
            Compressor.Process(data.Input[f.Channel].AsSpan(f.Start, F), y, model, Sr);
            var py = ReferenceLoss.PreFilter(y.Select(v => (double)v).ToArray());
            var pt = ReferenceLoss.PreFilter(data.Target[f.Channel].AsSpan(f.Start, F).ToArray().Select(v => (double)v).ToArray());
            for (int n = O; n < F; n++) loss += (py[n] - pt[n]) * (py[n] - pt[n]);
        }
        var kernel = new Objective(data, space, ObjectiveMode.Forward, delay).Loss(theta).Loss;
        Assert.Equal(loss, kernel, loss * 1e-5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientAndHessianMatchFiniteDifferences(ObjectiveMode mode, int delay)
    {
        var (data, space, theta) = Problem();
        var objective = new Objective(data, space, mode, delay);
        var d = objective.Derivatives(theta);
        // The branches taken at θ (knee, attack, charge, …) are held for the neighbours, as the kernel holds them
        // (docs/model.md §11.2): the finite differences then see the smooth function the exact derivatives belong to.
        var branches = new List<byte[]>();
        OptoReference.Evaluate(data, space.ToModel(theta), mode, delay, branches);
        double L(Theta t) => OptoReference.Evaluate(data, space.ToModel(t), mode, delay, branches).Loss;
        const int n = Theta.OptoCount;
        const double h = 1e-4;
        var e = new double[n];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(e);
            e[i] = h;
            double fd = (L(theta.Step(e, 1)) - L(theta.Step(e, -1))) / (2 * h);
            double gscale = Math.Sqrt(Math.Abs(d.Hessian[i, i] * d.Loss));
            Assert.True(Math.Abs(fd - d.Gradient[i]) <= 1e-6 * Math.Max(Math.Abs(fd), 1e-3 * gscale),
                $"gradient[{i}]: exact {d.Gradient[i]:R}, finite difference {fd:R}");
        }
        // Second differences: a larger step (round-off grows as 1/h², truncation as h²).
        const double h2 = 1e-3;
        double l0 = L(theta);
        var ei = new double[n];
        var ej = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double fd;
                if (i == j)
                {
                    Array.Clear(ei); ei[i] = h2;
                    fd = (L(theta.Step(ei, 1)) - 2 * l0 + L(theta.Step(ei, -1))) / (h2 * h2);
                }
                else
                {
                    Array.Clear(ei); Array.Clear(ej);
                    ei[i] = h2; ei[j] = h2;
                    ej[i] = h2; ej[j] = -h2;
                    // [L(+i+j) − L(+i−j) − L(−i+j) + L(−i−j)] / (4 hi hj)
                    fd = (L(theta.Step(ei, 1)) - L(theta.Step(ej, 1)) - L(theta.Step(ej, -1)) + L(theta.Step(ei, -1))) / (4 * h2 * h2);
                }
                double scale = Math.Sqrt(Math.Abs(d.Hessian[i, i] * d.Hessian[j, j]));
                Assert.True(Math.Abs(fd - d.Hessian[i, j]) <= 1e-4 * Math.Max(Math.Abs(fd), 1e-3 * scale),
                    $"hessian[{i},{j}]: exact {d.Hessian[i, j]:R}, finite difference {fd:R}");
                Assert.Equal(d.Hessian[i, j], d.Hessian[j, i]);
            }
        }
    }

    [Fact]
    public void AtNeutralExtrasTheOptoKernelIsTheFf5Kernel()
    {
        var (data, _, _) = Problem();
        var ff5Space = ParameterSpace.Default(Sr);
        var space = ParameterSpace.Default(Sr, ModelKind.Opto);
        var ff5 = ff5Space.FromSettings(new CompressorSettings(-27, 3.1, 5.0, 90, 1.5));
        // W and φ at the bottom of their ranges (logit −40: σ ≈ 4e-18), κ = 0.
        var opto = ff5 with { Opto = new OptoTheta(-40, -40, 0, 0, Math.Log(0.9 / 9)) };
        foreach (var mode in new[] { ObjectiveMode.Forward, ObjectiveMode.Inverse })
        {
            var a = new Objective(data, ff5Space, mode, 3).Derivatives(ff5);
            var b = new Objective(data, space, mode, 3).Derivatives(opto);
            Assert.Equal(a.Loss, b.Loss, a.Loss * 1e-12);
            int[] map = [0, 1, 2, 3, 4];
            foreach (int i in map)
            {
                Assert.Equal(a.Gradient[i], b.Gradient[i], Math.Abs(a.Gradient[i]) * 1e-9 + 1e-12);
                foreach (int j in map) Assert.Equal(a.Hessian[i, j], b.Hessian[i, j], Math.Abs(a.Hessian[i, j]) * 1e-9 + 1e-9 * Math.Abs(a.Hessian[i, i]));
            }
        }
    }
}
