using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using F8 = System.Runtime.Intrinsics.Vector256<float>;
using F16 = System.Runtime.Intrinsics.Vector512<float>;
using V8 = System.Runtime.Intrinsics.Vector256;
using V16 = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Dsp;

/// <summary>
/// Single-precision e^x, the logistic function and tanh on 8 or 16 floats, written to be inlined into the GRU's
/// per-sample recurrence (docs/model.md §7). Two kinds: e^x-based σ and tanh within a few ulp of float (tested over the
/// whole float range: e^x within 2.5 ulp, σ within 4 ulp and tanh within 3 ulp; σ below about 1.2e-38, where the exact
/// value is subnormal, within 1.2e-38 absolute), which the training batch falls back on without AVX-512; and the rational
/// <see cref="TanhHalfRatio(F8)"/> that gives both tanh and σ within 3.7e-7 absolute at a shorter latency, for
/// <see cref="GruStream"/>, where every cycle of the step counts.
/// </summary>
internal static class FloatMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2F = 0.693147182464599609375f;    // ln 2 rounded to float
    private const float Ln2Lo = -1.90465429995776e-9f;      // ln 2 − Ln2F
    private const float Shifter = 12582912f;                // 1.5·2^23: rounds to an integer in the low mantissa bits
    private const int ShifterBits = 0x4B400000;
    private const float ExpMin = -87.3f, ExpMax = 88.02f;  // e^x and 2^n stay normal floats
    /// <summary>
    /// Largest |x| for <see cref="OnePlusExp(F8)"/> (the shifter trick needs |x·log2 e| &lt; 2^22); σ and tanh clamp their
    /// argument to this, long after they saturate.
    /// </summary>
    public const float Limit = 1e6f;
    // Cephes expf: e^r = 1 + r + r²·P(r), |r| ≤ ln2/2, P of degree 5.
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
        P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    // Cephes tanhf for |x| < 0.625: tanh x = x + x³·Q(x²), Q of degree 4.
    private const float Q0 = -5.70498872745e-3f, Q1 = 2.06390887954e-2f, Q2 = -5.37397155531e-2f,
        Q3 = 1.33314422036e-1f, Q4 = -3.33332819422e-1f;
    private const float TanhSmall = 0.625f;

    /// <summary>
    /// e^x for 8 floats: clamped to [−87.3, 88.02], x = n·ln2 + r with |r| ≤ ln2/2 (one FMA, the low part of ln 2 applied to the scale),
    /// e^r = 1 + r + r²·P(r) (degree-5 minimax, Estrin's scheme for a short dependency chain), times 2^n built in
    /// the exponent bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 Exp(F8 x) => ScaledPlus(V8.Min(V8.Max(x, V8.Create(ExpMin)), V8.Create(ExpMax)), F8.Zero);

    /// <summary>
    /// 1 + e^x for |x| ≤ <see cref="Limit"/>, the last step fused (the denominator of σ and tanh, one multiply shorter on
    /// their critical path). Beyond [−87.3, 88] the power of two saturates: 1 + e^x is then at least 1 + 1e38 or within
    /// 1.2e-38 of 1, which is all σ and tanh need, and no clamp of x lengthens the critical path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 OnePlusExp(F8 x) => ScaledPlus(x, F8.One);

    /// <summary>e^x + <paramref name="c"/> (see <see cref="Exp(F8)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 ScaledPlus(F8 x, F8 c)
    {
        F8 k = V8.FusedMultiplyAdd(x, V8.Create(Log2E), V8.Create(Shifter));
        F8 n = k - V8.Create(Shifter);
        // r = x − n·ln2 in one FMA (n·Ln2F is exact inside it); the rest, e^(−n·Ln2Lo) = 1 − n·Ln2Lo to float
        // precision (|n·Ln2Lo| < 3e−7), goes into the scale, off the critical path.
        F8 r = V8.FusedMultiplyAdd(n, V8.Create(-Ln2F), x);
        // e^r = (1 + r + r²(P5 + P4 r)) + r⁴(P3 + P2 r + r²(P1 + P0 r)): three FMAs deep after r², r⁴.
        F8 r2 = r * r, r4 = r2 * r2;
        F8 lo = V8.FusedMultiplyAdd(r2, V8.FusedMultiplyAdd(V8.Create(P4), r, V8.Create(P5)), r + F8.One);
        F8 hi = V8.FusedMultiplyAdd(r2, V8.FusedMultiplyAdd(V8.Create(P0), r, V8.Create(P1)), V8.FusedMultiplyAdd(V8.Create(P2), r, V8.Create(P3)));
        F8 e = V8.FusedMultiplyAdd(hi, r4, lo);
        // 2^n with n saturated to the normal range (off the critical path, so x itself needs no clamp).
        Vector256<int> ni = V8.Min(V8.Max(k.AsInt32() - V8.Create(ShifterBits), V8.Create(-126)), V8.Create(127));
        Vector256<int> scale = (ni + V8.Create(127)) << 23;
        F8 s = scale.AsSingle();
        s = V8.FusedMultiplyAdd(s, n * V8.Create(-Ln2Lo), s);
        return V8.FusedMultiplyAdd(e, s, c);
    }

    /// <summary>e^x for 16 floats (as the 8-float form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 Exp(F16 x) => ScaledPlus(V16.Min(V16.Max(x, V16.Create(ExpMin)), V16.Create(ExpMax)), F16.Zero);

    /// <summary>
    /// 1 + e^x for |x| ≤ <see cref="Limit"/>, the last step fused (the denominator of σ and tanh, one multiply shorter on
    /// their critical path). Beyond [−87.3, 88] the power of two saturates: 1 + e^x is then at least 1 + 1e38 or within
    /// 1.2e-38 of 1, which is all σ and tanh need, and no clamp of x lengthens the critical path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 OnePlusExp(F16 x) => ScaledPlus(x, F16.One);

    /// <summary>e^x + <paramref name="c"/> (see <see cref="Exp(F16)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 ScaledPlus(F16 x, F16 c)
    {
        F16 k = V16.FusedMultiplyAdd(x, V16.Create(Log2E), V16.Create(Shifter));
        F16 n = k - V16.Create(Shifter);
        // r = x − n·ln2 in one FMA (n·Ln2F is exact inside it); the rest, e^(−n·Ln2Lo) = 1 − n·Ln2Lo to float
        // precision (|n·Ln2Lo| < 3e−7), goes into the scale, off the critical path.
        F16 r = V16.FusedMultiplyAdd(n, V16.Create(-Ln2F), x);
        // e^r = (1 + r + r²(P5 + P4 r)) + r⁴(P3 + P2 r + r²(P1 + P0 r)): three FMAs deep after r², r⁴.
        F16 r2 = r * r, r4 = r2 * r2;
        F16 lo = V16.FusedMultiplyAdd(r2, V16.FusedMultiplyAdd(V16.Create(P4), r, V16.Create(P5)), r + F16.One);
        F16 hi = V16.FusedMultiplyAdd(r2, V16.FusedMultiplyAdd(V16.Create(P0), r, V16.Create(P1)), V16.FusedMultiplyAdd(V16.Create(P2), r, V16.Create(P3)));
        F16 e = V16.FusedMultiplyAdd(hi, r4, lo);
        // 2^n with n saturated to the normal range (off the critical path, so x itself needs no clamp).
        Vector512<int> ni = V16.Min(V16.Max(k.AsInt32() - V16.Create(ShifterBits), V16.Create(-126)), V16.Create(127));
        Vector512<int> scale = (ni + V16.Create(127)) << 23;
        F16 s = scale.AsSingle();
        s = V16.FusedMultiplyAdd(s, n * V16.Create(-Ln2Lo), s);
        return V16.FusedMultiplyAdd(e, s, c);
    }

    // tanh(y/2) = K·y·P(t)/Q(t), t = y², on |y| ≤ HalfLimit: a [9/8] rational, minimax in absolute error (Lawson's iteration
    // on the linearised problem in double, with the slope at zero exact and Q rounded before P was refitted to it). P and Q
    // (degree 4 in t) have only negative real roots (Q's first is −9.8697 ≈ −π², tanh's first pole), so each is written monic
    // as two quadratics (t + ρ1)(t + ρ2) = t·(t + ρ1 + ρ2) + ρ1ρ2 with positive coefficients: no cancellation, and each
    // quadratic is one FMA after t and y·y + (ρ1 + ρ2), so P and Q are ready 11 cycles after y (Estrin's scheme of the
    // expanded form needs 15). The fit is within 2.1e-8 of tanh(y/2) with its coefficients in double, 4.5e-8 with them
    // rounded to float as below; evaluated in float with K applied as the callers do, within 3.7e-7 (7e-8 rms over
    // [−22, 22]), and σ = 1/2 + tanh(y/2)/2 within 2.2e-7.
    private const float PS1 = 202.97348f, PC1 = 6455.6733f, PS2 = 5978.063f, PC2 = 2977053.5f;
    private const float QS1 = 99.0778f, QC1 = 880.4532f, QS2 = 1592.735f, QC2 = 374586f;

    /// <summary>K of <see cref="TanhHalfRatio(F8)"/>: tanh(y/2) = K·y·R(y). Callers fold it into a product with y off the critical path.</summary>
    public const float HalfScale = 0.008580244f;

    /// <summary>
    /// Where <see cref="TanhHalfRatio(F8)"/> ends: tanh(y/2) beyond ±18.02 is within 3e-8 of ±1, so arguments are clamped to it
    /// (<see cref="ClampHalf(F8)"/>).
    /// </summary>
    public const float HalfLimit = 18.02f;

    /// <summary>
    /// y clamped to ±<see cref="HalfLimit"/>: one vrangeps where AVX-512DQ runs (as the 16-float form, lane for lane), else two
    /// native min/max instructions (see the 16-float form for a NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 ClampHalf(F8 y) => Avx512DQ.VL.IsSupported
        ? Avx512DQ.VL.Range(y, V8.Create(HalfLimit), 0b00_10)
        : V8.MaxNative(V8.MinNative(y, V8.Create(HalfLimit)), V8.Create(-HalfLimit));

    /// <summary>
    /// R(y) = P(y²)/Q(y²) for a clamped y (<see cref="ClampHalf(F8)"/>), so that tanh(y/2) = K·y·R(y) and σ(y) = 1/2 + K·y·R(y)/2
    /// with K = <see cref="HalfScale"/>: the GRU stream's activations without e^x (docs/model.md §7), about 11 cycles and one
    /// division after y, against about 26 and a division for 1 + e^y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 TanhHalfRatio(F8 y)
    {
        F8 t = y * y;
        F8 p = V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(PS1)), V8.Create(PC1)) * V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(PS2)), V8.Create(PC2));
        F8 q = V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(QS1)), V8.Create(QC1)) * V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(QS2)), V8.Create(QC2));
        return p / q;
    }

    /// <summary>
    /// y clamped to ±<see cref="HalfLimit"/> (16 floats): with AVX-512DQ one vrangeps (the operand of smaller magnitude, with
    /// the sign of y; 2 cycles instead of 4), otherwise as the 8-float form. The two differ for a NaN (vrangeps gives the
    /// limit with the NaN's sign bit, min/max +limit); <see cref="GruStream"/> never passes one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 ClampHalf(F16 y) => Avx512DQ.IsSupported
        ? Avx512DQ.Range(y, V16.Create(HalfLimit), 0b00_10)
        : V16.MaxNative(V16.MinNative(y, V16.Create(HalfLimit)), V16.Create(-HalfLimit));

    /// <summary><see cref="TanhHalfRatio(F8)"/> of 16 floats (the same operations lane for lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 TanhHalfRatio(F16 y)
    {
        F16 t = y * y;
        F16 p = V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(PS1)), V16.Create(PC1)) * V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(PS2)), V16.Create(PC2));
        F16 q = V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(QS1)), V16.Create(QC1)) * V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(QS2)), V16.Create(QC2));
        return p / q;
    }

    /// <summary>The logistic function σ(x) = 1/(1 + e^−x) of 8 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 Sigmoid(F8 x) => F8.One / OnePlusExp(-V8.Min(V8.Max(x, V8.Create(-Limit)), V8.Create(Limit)));

    /// <summary>The logistic function σ(x) = 1/(1 + e^−x) of 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 Sigmoid(F16 x) => F16.One / OnePlusExp(-V16.Min(V16.Max(x, V16.Create(-Limit)), V16.Create(Limit)));

    /// <summary>
    /// tanh x of 8 floats: 1 − 2/(1 + e^{2x}) for |x| ≥ 0.625, x + x³·Q(x²) below (no cancellation near zero);
    /// both are computed side by side and blended, so the latency is the longer one, not the sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 Tanh(F8 x)
    {
        F8 c = V8.Min(V8.Max(x, V8.Create(-Limit)), V8.Create(Limit));
        F8 big = V8.FusedMultiplyAdd(V8.Create(-2f), F8.One / OnePlusExp(c + c), F8.One);
        return V8.ConditionalSelect(IsSmall(x), TanhNearZero(x), big);
    }

    /// <summary>Lanes where |x| &lt; 0.625, where <see cref="TanhNearZero(F8)"/> is used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 IsSmall(F8 x) => V8.LessThan(V8.Abs(x), V8.Create(TanhSmall));

    /// <summary>tanh x = x + x³·Q(x²) for |x| &lt; 0.625 (Cephes tanhf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 TanhNearZero(F8 x)
    {
        F8 s = x * x, s2 = s * s;
        // Q(s) = (Q4 + Q3 s) + s²(Q2 + Q1 s + Q0 s²)
        F8 q = V8.FusedMultiplyAdd(s2, V8.FusedMultiplyAdd(V8.FusedMultiplyAdd(V8.Create(Q0), s, V8.Create(Q1)), s, V8.Create(Q2)),
            V8.FusedMultiplyAdd(V8.Create(Q3), s, V8.Create(Q4)));
        return V8.FusedMultiplyAdd(q * s, x, x);
    }

    /// <summary>tanh x of 16 floats (as the 8-float form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 Tanh(F16 x)
    {
        F16 c = V16.Min(V16.Max(x, V16.Create(-Limit)), V16.Create(Limit));
        F16 big = V16.FusedMultiplyAdd(V16.Create(-2f), F16.One / OnePlusExp(c + c), F16.One);
        return V16.ConditionalSelect(IsSmall(x), TanhNearZero(x), big);
    }

    /// <summary>Lanes where |x| &lt; 0.625 (16 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 IsSmall(F16 x) => V16.LessThan(V16.Abs(x), V16.Create(TanhSmall));

    /// <summary>tanh x = x + x³·Q(x²) for |x| &lt; 0.625 (16 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 TanhNearZero(F16 x)
    {
        F16 s = x * x, s2 = s * s;
        F16 q = V16.FusedMultiplyAdd(s2, V16.FusedMultiplyAdd(V16.FusedMultiplyAdd(V16.Create(Q0), s, V16.Create(Q1)), s, V16.Create(Q2)),
            V16.FusedMultiplyAdd(V16.Create(Q3), s, V16.Create(Q4)));
        return V16.FusedMultiplyAdd(q * s, x, x);
    }
}
