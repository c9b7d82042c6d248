using System.Runtime.Intrinsics;

namespace Newtone.Tests;

/// <summary>
/// The GRU's single-precision e^x, σ and tanh (FloatMath) against the runtime's double Math.Exp/Math.Tanh, over every
/// 61st float of the whole range (both signs), in ulps of the correctly rounded float result.
/// </summary>
public class FloatMathTests
{
    private const uint Stride = 61;

    /// <summary>
    /// |got − exact| in ulps of the float nearest to exact; where exact is subnormal (σ below −87.3), an absolute error up to
    /// the smallest normal float (1.2e-38) counts as none, anything more as infinite.
    /// </summary>
    private static double Ulps(float got, double exact)
    {
        if (Math.Abs(exact) < 1.17549435e-38) return Math.Abs(got - exact) <= 1.17549435e-38 ? 0 : double.PositiveInfinity;
        float e = Math.Max(Math.Abs((float)exact), 1.17549435e-38f);   // smallest normal float
        return Math.Abs(got - exact) / (MathF.BitIncrement(e) - e);
    }

    /// <summary>The worst error of <paramref name="f"/> (8 lanes) over every <see cref="Stride"/>-th float in [lo, hi] of both signs.</summary>
    private static (double Ulps, float At) Worst(Func<Vector256<float>, Vector256<float>> f, Func<double, double> exact, float lo = 0, float hi = float.MaxValue)
    {
        double worst = 0;
        float at = 0;
        Span<float> x = stackalloc float[8];
        int n = 0;
        void Flush(Span<float> xs, int count)
        {
            var y = f(Vector256.Create<float>(xs));
            for (int i = 0; i < count; i++)
            {
                double u = Ulps(y[i], exact(xs[i]));
                if (u > worst || double.IsNaN(u)) { worst = double.IsNaN(u) ? double.PositiveInfinity : u; at = xs[i]; }
            }
        }
        for (ulong bits = 0; bits < 0x7F800000UL; bits += Stride)
        {
            float v = BitConverter.UInt32BitsToSingle((uint)bits);
            if (v < lo || v > hi) continue;
            x[n++] = v;
            x[n++] = -v;
            if (n == 8) { Flush(x, 8); n = 0; }
        }
        if (n > 0) Flush(x, n);
        return (worst, at);
    }

    [Fact]
    public void ExpIsWithinTwoAndAHalfUlpOfMathExp()
    {
        // Both signs of [0, 87.3]: the whole range where e^x and e^−x are normal floats.
        var (u, at) = Worst(FloatMath.Exp, Math.Exp, 0, 87.3f);
        Assert.True(u <= 2.5, $"e^x: worst {u:F2} ulp at {at:R}");
    }

    [Fact]
    public void SigmoidIsWithinFourUlpOverTheWholeRange()
    {
        var (u, at) = Worst(FloatMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)));
        Assert.True(u <= 4, $"σ: worst {u:F2} ulp at {at:R}");
    }

    [Fact]
    public void TanhIsWithinThreeUlpOverTheWholeRange()
    {
        var (u, at) = Worst(FloatMath.Tanh, Math.Tanh);
        Assert.True(u <= 3, $"tanh: worst {u:F2} ulp at {at:R}");
    }

    [Fact]
    public void SixteenLaneFormsEqualTheEightLaneForms()
    {
        var rng = new Rng(4);
        for (int i = 0; i < 2000; i++)
        {
            var a = new float[16];
            for (int k = 0; k < 16; k++) a[k] = (float)(rng.Gaussian() * Math.Pow(10, rng.Uniform(-3, 2.5)));
            var v = Vector512.Create<float>(a);
            var lo = v.GetLower();
            var hi = v.GetUpper();
            Assert.Equal(Vector512.Create(FloatMath.Exp(lo), FloatMath.Exp(hi)), FloatMath.Exp(v));
            Assert.Equal(Vector512.Create(FloatMath.Sigmoid(lo), FloatMath.Sigmoid(hi)), FloatMath.Sigmoid(v));
            Assert.Equal(Vector512.Create(FloatMath.Tanh(lo), FloatMath.Tanh(hi)), FloatMath.Tanh(v));
        }
    }

    [Fact]
    public void TrainingSigmoidIsWithinFiveUlpOverTheWholeRange()
    {
        // GruLaneMath's σ (AVX-512: vscalefps and a reciprocal estimate with a Newton step; elsewhere FloatMath's).
        var (u, at) = Worst(GruLaneMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)));
        Assert.True(u <= 5, $"σ: worst {u:F2} ulp at {at:R}");
    }

    [Fact]
    public void TrainingTanhIsWithinFourTenMillionthsAbsolute()
    {
        // GruLaneMath's tanh = 2σ(2x) − 1: judged by absolute error (its use: gates mixed into a hidden state of order 1).
        double worst = 0;
        float at = 0;
        var x = new float[8];
        for (ulong bits = 0; bits < 0x7F800000UL; bits += 8 * 61)
        {
            for (int i = 0; i < 8; i++) x[i] = BitConverter.UInt32BitsToSingle((uint)Math.Min(bits + (ulong)i * 61, 0x7F7FFFFFUL)) * (i % 2 == 0 ? 1 : -1);
            var y = GruLaneMath.Tanh(Vector256.Create<float>(x));
            for (int i = 0; i < 8; i++)
            {
                double e = Math.Abs(y[i] - Math.Tanh(x[i]));
                if (!(e <= worst)) { worst = double.IsNaN(e) ? double.PositiveInfinity : e; at = x[i]; }
            }
        }
        Assert.True(worst <= 4e-7, $"tanh: worst {worst:E2} at {at:R}");
    }
}
