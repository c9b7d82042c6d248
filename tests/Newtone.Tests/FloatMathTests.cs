using System.Runtime.Intrinsics;

namespace Newtone.Tests;

/// <summary>
/// The GRU's single-precision σ and tanh (FloatMath's rational function) against the runtime's double Math.Tanh and
/// Math.Exp over every 61st float of the whole range, both signs.
/// </summary>
public class FloatMathTests
{
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

    [Fact]
    public void ThroughputFormAsTheTrainingBatchUsesItIsAsAccurate()
    {
        // GruBatchSingle's activations: σ(a) = 1/2 + (K/2)·(a·R(a)) by one FMA and tanh(v) = (K·y)·R(y) with y = 2v, both
        // from TanhHalfRatioThroughput (t + ρ1 + ρ2 added after t instead of fused): over every 61st float of both signs,
        // against double, with the same bounds as the streaming form (measured: 3.6e-7 and 1.8e-7).
        double worstT = 0, worstS = 0;
        float atT = 0, atS = 0;
        var x = new float[8];
        for (ulong bits = 0; bits < 0x7F800000UL; bits += 8 * 61)
        {
            for (int i = 0; i < 8; i++) x[i] = BitConverter.UInt32BitsToSingle((uint)Math.Min(bits + (ulong)i * 61, 0x7F7FFFFFUL)) * (i % 2 == 0 ? 1 : -1);
            var c = FloatMath.ClampHalf(Vector256.Create<float>(x));
            var ratio = FloatMath.TanhHalfRatioThroughput(c);
            var sigma = Vector256.FusedMultiplyAdd(c * ratio, Vector256.Create(0.5f * FloatMath.HalfScale), Vector256.Create(0.5f));
            var tanh = c * Vector256.Create(FloatMath.HalfScale) * ratio;
            for (int i = 0; i < 8; i++)
            {
                double e = Math.Abs(tanh[i] - Math.Tanh(x[i] / 2.0));
                if (!(e <= worstT)) { worstT = double.IsNaN(e) ? double.PositiveInfinity : e; atT = x[i]; }
                double s = Math.Abs(sigma[i] - 1 / (1 + Math.Exp(-(double)x[i])));
                if (!(s <= worstS)) { worstS = double.IsNaN(s) ? double.PositiveInfinity : s; atS = x[i]; }
            }
        }
        Assert.True(worstT <= 3.8e-7, $"tanh(y/2): worst {worstT:E2} at {atT:R}");
        Assert.True(worstS <= 2.2e-7, $"σ: worst {worstS:E2} at {atS:R}");
    }
}
