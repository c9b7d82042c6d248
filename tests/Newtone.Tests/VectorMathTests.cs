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
}
