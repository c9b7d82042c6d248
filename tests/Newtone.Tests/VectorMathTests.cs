using System.Runtime.Intrinsics;

namespace Newtone.Tests;

/// <summary>The inlined vector exp/log against the runtime's scalar Math.Exp/Math.Log.</summary>
public class VectorMathTests
{
    [Fact]
    public void ExpIsAccurateToAFewUlp()
    {
        var rng = new Rng(1);
        double worst = 0;
        for (int i = 0; i < 20000; i++)
        {
            double a = rng.Uniform(-60, 5), b = rng.Uniform(-700, 700), c = rng.Uniform(-1, 1), d = rng.Uniform(-1e-6, 1e-6);
            var v = VectorMath.Exp(Vector256.Create(a, b, c, d));
            foreach (var (x, got) in new[] { (a, v[0]), (b, v[1]), (c, v[2]), (d, v[3]) })
                worst = Math.Max(worst, Math.Abs(got - Math.Exp(x)) / Math.Exp(x));
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void LogIsAccurateToAFewUlp()
    {
        var rng = new Rng(2);
        double worst = 0;
        for (int i = 0; i < 20000; i++)
        {
            double a = Math.Exp(rng.Uniform(-19, 1)), b = rng.Uniform(0.5, 2), c = rng.Uniform(1e-8, 1e-7), d = Math.Exp(rng.Uniform(-700, 700));
            var v = VectorMath.Log(Vector256.Create(a, b, c, d));
            foreach (var (x, got) in new[] { (a, v[0]), (b, v[1]), (c, v[2]), (d, v[3]) })
                worst = Math.Max(worst, Math.Abs(got - Math.Log(x)) / Math.Max(1, Math.Abs(Math.Log(x))));
        }
        Assert.True(worst < 1e-15, $"worst error {worst:E2}");
    }

    [Fact]
    public void ShortChainFormsAreAsAccurateAndAgreeAcrossWidths()
    {
        // The objective kernels' exp and log (Estrin's scheme): a few ulp like the Horner forms, and the eight-lane forms
        // give the four-lane forms' numbers bit for bit.
        var rng = new Rng(3);
        double worstExp = 0, worstLog = 0;
        var a = new double[8];
        for (int i = 0; i < 5000; i++)
        {
            for (int l = 0; l < 8; l++) a[l] = l < 4 ? rng.Uniform(-60, 5) : rng.Uniform(-700, 700);
            var e4 = (VectorMath.ExpShortChain(Vector256.Create(a.AsSpan(0, 4))), VectorMath.ExpShortChain(Vector256.Create(a.AsSpan(4, 4))));
            for (int l = 0; l < 8; l++)
            {
                double got = l < 4 ? e4.Item1[l] : e4.Item2[l - 4];
                worstExp = Math.Max(worstExp, Math.Abs(got - Math.Exp(a[l])) / Math.Exp(a[l]));
            }
            if (Vector512.IsHardwareAccelerated)
            {
                var e8 = VectorMath.ExpShortChain(Vector512.Create(a));
                for (int l = 0; l < 8; l++) Assert.Equal(l < 4 ? e4.Item1[l] : e4.Item2[l - 4], e8[l]);
            }
            for (int l = 0; l < 8; l++) a[l] = l < 4 ? Math.Exp(rng.Uniform(-19, 1)) : rng.Uniform(1e-8, 2);
            var g4 = (VectorMath.LogShortChain(Vector256.Create(a.AsSpan(0, 4))), VectorMath.LogShortChain(Vector256.Create(a.AsSpan(4, 4))));
            for (int l = 0; l < 8; l++)
            {
                double got = l < 4 ? g4.Item1[l] : g4.Item2[l - 4];
                worstLog = Math.Max(worstLog, Math.Abs(got - Math.Log(a[l])) / Math.Max(1, Math.Abs(Math.Log(a[l]))));
            }
            if (Vector512.IsHardwareAccelerated)
            {
                var g8 = VectorMath.LogShortChain(Vector512.Create(a));
                for (int l = 0; l < 8; l++) Assert.Equal(l < 4 ? g4.Item1[l] : g4.Item2[l - 4], g8[l]);
            }
        }
        Assert.True(worstExp < 1e-15, $"exp: worst relative error {worstExp:E2}");
        Assert.True(worstLog < 1e-15, $"log: worst error {worstLog:E2}");
    }
}
