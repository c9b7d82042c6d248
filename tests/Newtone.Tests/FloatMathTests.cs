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

    [Fact]
    public void RationalTanhOfHalfIsWithinFourTenMillionthsAbsoluteWithTheSlopeAtZero()
    {
        // GruStream's activations: tanh(y/2) = K·y·R(y) for y clamped to ±18.02 (K·y rounded first, as the stream does), and
        // σ(y) = 1/2 + tanh(y/2)/2 by one FMA; absolute error over every 61st float of both signs, relative error near zero,
        // (for normal results) and the 16-lane forms lane for lane the 8-lane ones.
        double worstT = 0, worstS = 0, worstRel = 0;
        float atT = 0, atS = 0, atRel = 0;
        var x = new float[16];
        for (ulong bits = 0; bits < 0x7F800000UL; bits += 16 * 61)
        {
            for (int i = 0; i < 16; i++) x[i] = BitConverter.UInt32BitsToSingle((uint)Math.Min(bits + (ulong)i * 61, 0x7F7FFFFFUL)) * (i % 2 == 0 ? 1 : -1);
            var v = Vector512.Create<float>(x);
            var c = FloatMath.ClampHalf(v);
            var t = FloatMath.TanhHalfRatio(c) * (c * Vector512.Create(FloatMath.HalfScale));
            var lo = FloatMath.ClampHalf(v.GetLower());
            var hi = FloatMath.ClampHalf(v.GetUpper());
            Assert.Equal(Vector512.Create(lo, hi), c);
            Assert.Equal(Vector512.Create(FloatMath.TanhHalfRatio(lo), FloatMath.TanhHalfRatio(hi)), FloatMath.TanhHalfRatio(c));
            for (int i = 0; i < 16; i++)
            {
                double exact = Math.Tanh(x[i] / 2.0);
                double e = Math.Abs(t[i] - exact);
                if (!(e <= worstT)) { worstT = double.IsNaN(e) ? double.PositiveInfinity : e; atT = x[i]; }
                double s = Math.Abs(MathF.FusedMultiplyAdd(t[i], 0.5f, 0.5f) - 1 / (1 + Math.Exp(-(double)x[i])));
                if (!(s <= worstS)) { worstS = double.IsNaN(s) ? double.PositiveInfinity : s; atS = x[i]; }
                if (Math.Abs(x[i]) < 0.01 && Math.Abs(x[i]) > 1e-35)   // where K·y and the result are normal floats
                {
                    double rel = e / Math.Abs(exact);
                    if (!(rel <= worstRel)) { worstRel = double.IsNaN(rel) ? double.PositiveInfinity : rel; atRel = x[i]; }
                }
            }
        }
        Assert.True(worstT <= 3.8e-7, $"tanh(y/2): worst {worstT:E2} at {atT:R}");
        Assert.True(worstS <= 2.2e-7, $"σ: worst {worstS:E2} at {atS:R}");
        Assert.True(worstRel <= 5e-7, $"tanh(y/2) near zero: worst relative {worstRel:E2} at {atRel:R}");
    }
}
