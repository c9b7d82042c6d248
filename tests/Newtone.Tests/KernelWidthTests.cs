using System.Runtime.Intrinsics;

namespace Newtone.Tests;

/// <summary>
/// The eight-lane (Vector512) objective kernels against the four-lane (Vector256) ones, each called explicitly:
/// the same equations in the same order, so loss, gradient and Hessian agree to 1e-12 relative, for several θ at
/// once (packs padded past the last job, and eight-lane packs mixed with four-lane ones) in both modes, with and
/// without look-ahead.
/// </summary>
public class KernelWidthTests
{
    private const int Sr = 16000;

    public static TheoryData<ObjectiveMode, int> Cases => new()
    {
        { ObjectiveMode.Forward, 0 },
        { ObjectiveMode.Forward, 7 },
        { ObjectiveMode.Inverse, 0 },
        { ObjectiveMode.Inverse, 7 },
    };

    private static (TrainingSet Data, ParameterSpace Space, Theta[] Thetas) Problem()
    {
        var truth = new CompressorSettings(-22, 4.2, 3.0, 150, 0.5);
        var (x, y) = TestSignals.Pair(3.1, Sr, truth, seed: 5, noiseDbfs: -60);
        var data = TestSignals.Set(x, y, Sr, duration: 0.8, overlap: 0.1);
        var space = ParameterSpace.Default(Sr);
        // Three θ over four frames: 12 jobs, one and a half packs of eight, three packs of four.
        Theta[] thetas =
        [
            space.FromSettings(new CompressorSettings(-27, 3.1, 5.0, 90, 1.5)),
            space.FromSettings(new CompressorSettings(-18, 8.0, 0.7, 400, -2)),
            space.FromSettings(truth),
        ];
        return (data, space, thetas);
    }

    private static void Close(double expected, double actual, string what)
    {
        double tol = 1e-12 * Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: 256 bits {expected:R}, 512 bits {actual:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WideKernelsAgreeWithFourLaneKernels(ObjectiveMode mode, int delay)
    {
        var (data, space, thetas) = Problem();
        Assert.Equal(4, data.Frames.Count);
        var narrow = new Objective(data, space, mode, delay) { VectorBits = 256 };
        if (!Vector512.IsHardwareAccelerated)
        {
            Assert.Throws<PlatformNotSupportedException>(() => narrow.VectorBits = 512);
            return;
        }
        Assert.Equal(512, Objective.DefaultVectorBits);
        // Two threads: two eight-lane packs; one thread: one eight-lane pack and one four-lane pack (mixed widths).
        foreach (int threads in new[] { 2, 1 })
            Compare(narrow, new Objective(data, space, mode, delay) { VectorBits = 512, MaxThreads = threads }, thetas);
    }

    private static void Compare(Objective narrow, Objective wide, Theta[] thetas)
    {

        var l4 = narrow.Loss(thetas);
        var l8 = wide.Loss(thetas);
        var d4 = narrow.Derivatives(thetas);
        var d8 = wide.Derivatives(thetas);
        // A subset of frames, in another order.
        var s4 = narrow.Loss(thetas, [3, 1]);
        var s8 = wide.Loss(thetas, [3, 1]);
        for (int k = 0; k < thetas.Length; k++)
        {
            Close(l4[k].Loss, l8[k].Loss, $"θ{k} loss");
            Close(l4[k].PredictionEnergy, l8[k].PredictionEnergy, $"θ{k} Σy²");
            Close(l4[k].ReferenceEnergy, l8[k].ReferenceEnergy, $"θ{k} Σρ²");
            Close(l4[k].OptimalScaleFactor, l8[k].OptimalScaleFactor, $"θ{k} least-squares make-up");
            Close(s4[k].Loss, s8[k].Loss, $"θ{k} loss on frames 3, 1");
            Close(d4[k].Loss, d8[k].Loss, $"θ{k} derivative pass loss");
            for (int i = 0; i < 5; i++)
            {
                Close(d4[k].Gradient[i], d8[k].Gradient[i], $"θ{k} gradient[{i}]");
                for (int j = 0; j < 5; j++) Close(d4[k].Hessian[i, j], d8[k].Hessian[i, j], $"θ{k} Hessian[{i},{j}]");
            }
        }
        Assert.True(d4[0].Gradient.Any(v => Math.Abs(v) > 0), "the gradient is not trivially zero");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ManyThetasSharingFramesAgreeWithFourLaneKernels(ObjectiveMode mode, int delay)
    {
        // Nine θ (eight or more: each 512-bit pack runs eight θ on one frame; one group padded) on all frames and on two.
        var (data, space, _) = Problem();
        var thetas = Enumerable.Range(0, 9).Select(i =>
            space.FromSettings(new CompressorSettings(-35 + 2.5 * i, 1.5 + 0.9 * i, 0.3 + 1.7 * i, 40 + 70 * i, 1 - 0.4 * i))).ToArray();
        var narrow = new Objective(data, space, mode, delay) { VectorBits = 256 };
        if (!Vector512.IsHardwareAccelerated) return;
        foreach (int threads in new[] { 2, 1 })
        {
            var wide = new Objective(data, space, mode, delay) { VectorBits = 512, MaxThreads = threads };
            foreach (int[]? frames in new[] { null, new[] { 2, 0 } })
            {
                var l4 = narrow.Loss(thetas, frames);
                var l8 = wide.Loss(thetas, frames);
                for (int k = 0; k < thetas.Length; k++)
                {
                    Close(l4[k].Loss, l8[k].Loss, $"θ{k} loss");
                    Close(l4[k].PredictionEnergy, l8[k].PredictionEnergy, $"θ{k} Σy²");
                    Close(l4[k].ReferenceEnergy, l8[k].ReferenceEnergy, $"θ{k} Σρ²");
                    Close(l4[k].OptimalScaleFactor, l8[k].OptimalScaleFactor, $"θ{k} least-squares make-up");
                    // The one-frame-per-lane kernel agrees as well (θ one at a time).
                    Close(l4[k].Loss, wide.Loss([thetas[k]], frames)[0].Loss, $"θ{k} loss alone");
                }
                Assert.True(l4.Select(l => l.Loss).Distinct().Count() == thetas.Length, "the θ give different losses");
            }
        }
    }

    [Fact]
    public void WideExpAndLogAgreeWithFourLaneForms()
    {
        if (!Vector512.IsHardwareAccelerated) return;
        var rng = new Rng(3);
        var a = new double[8];
        for (int i = 0; i < 5000; i++)
        {
            for (int l = 0; l < 8; l++) a[l] = rng.Uniform(-700, 700) * (l < 4 ? 1e-2 : 1);
            var e8 = VectorMath.Exp(Vector512.Create(a));
            var e4 = (VectorMath.Exp(Vector256.Create(a.AsSpan(0, 4))), VectorMath.Exp(Vector256.Create(a.AsSpan(4, 4))));
            for (int l = 0; l < 4; l++)
            {
                Assert.Equal(e4.Item1[l], e8[l]);
                Assert.Equal(e4.Item2[l], e8[l + 4]);
            }
            for (int l = 0; l < 8; l++) a[l] = Math.Exp(a[l]);
            var g8 = VectorMath.Log(Vector512.Create(a));
            var g4 = (VectorMath.Log(Vector256.Create(a.AsSpan(0, 4))), VectorMath.Log(Vector256.Create(a.AsSpan(4, 4))));
            for (int l = 0; l < 4; l++)
            {
                Assert.Equal(g4.Item1[l], g8[l]);
                Assert.Equal(g4.Item2[l], g8[l + 4]);
            }
        }
    }
}
