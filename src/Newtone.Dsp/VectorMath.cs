using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;
using W = System.Runtime.Intrinsics.Vector512<double>;
using WS = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Dsp;

/// <summary>
/// Natural logarithm and exponential of four (or eight) doubles, written to be inlined into the objective's
/// inner loops (the runtime's own vector Log/Exp are calls, which force every live vector register
/// to the stack on each sample). Both are accurate to about 1 ulp over the ranges the compressor uses.
/// </summary>
internal static class VectorMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;   // ln 2, upper bits (exact in n·Ln2Hi)
    private const double Ln2Lo = 1.90821492927058770002e-10;   // ln 2 − Ln2Hi
    private const double Log2E = 1.4426950408889634;
    private const double Shifter = 6755399441055744.0;           // 1.5·2^52: rounds to an integer in the low bits
    private const long ShifterBits = 0x4338000000000000;

    /// <summary>
    /// e^x for x in [−708, 709] (clamped outside): x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite),
    /// e^r by its Taylor series to degree 12 (truncation below 2e-16), times 2^n built in the exponent bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp(V x)
    {
        x = VS.Min(VS.Max(x, VS.Create(-708.0)), VS.Create(709.0));
        V k = VS.FusedMultiplyAdd(x, VS.Create(Log2E), VS.Create(Shifter));
        V n = k - VS.Create(Shifter);
        V r = VS.FusedMultiplyAdd(n, VS.Create(-Ln2Hi), x);
        r = VS.FusedMultiplyAdd(n, VS.Create(-Ln2Lo), r);
        V p = VS.Create(1.0 / 479001600);                          // 1/12!
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 39916800));  // 1/11!
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 3628800));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 362880));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 40320));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 5040));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 720));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 120));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 24));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(1.0 / 6));
        p = VS.FusedMultiplyAdd(p, r, VS.Create(0.5));
        p = VS.FusedMultiplyAdd(p, r, V.One);
        p = VS.FusedMultiplyAdd(p, r, V.One);
        Vector256<long> bits = (k.AsInt64() + VS.Create(1023L - ShifterBits)) << 52;
        return p * bits.AsDouble();
    }

    /// <summary>
    /// ln x for positive, normal x: x = 2^e·m with m in [√½, √2), then
    /// ln m = 2·atanh(f) = 2f·(1 + f²/3 + f⁴/5 + …), f = (m − 1)/(m + 1), |f| ≤ 0.172 (series to f²⁰).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log(V x)
    {
        Vector256<long> bits = x.AsInt64();
        // Biased exponent as a double (exact): (E | 2^52 bits) − 2^52.
        V e = (VS.ShiftRightLogical(bits, 52) | VS.Create(0x4330000000000000L)).AsDouble() - VS.Create(4503599627370496.0);
        V m = ((bits & VS.Create(0x000FFFFFFFFFFFFFL)) | VS.Create(0x3FF0000000000000L)).AsDouble();
        V big = VS.GreaterThan(m, VS.Create(1.4142135623730951));
        m = VS.ConditionalSelect(big, m * VS.Create(0.5), m);
        e = e + (big & V.One) - VS.Create(1023.0);
        V f = (m - V.One) / (m + V.One);
        V s = f * f;
        V p = VS.Create(1.0 / 21);
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 19));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 17));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 15));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 13));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 11));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 9));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 7));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 5));
        p = VS.FusedMultiplyAdd(p, s, VS.Create(1.0 / 3));
        // ln m = 2f + 2f·s·p; ln x = e·ln2 + ln m, with ln2 split so e·Ln2Hi is exact.
        V twoF = f + f;
        V lnM = VS.FusedMultiplyAdd(twoF * s, p, twoF);
        return VS.FusedMultiplyAdd(e, VS.Create(Ln2Hi), VS.FusedMultiplyAdd(e, VS.Create(Ln2Lo), lnM));
    }

    /// <summary>e^x on eight lanes: the same expression as <see cref="Exp(V)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W Exp(W x)
    {
        x = WS.Min(WS.Max(x, WS.Create(-708.0)), WS.Create(709.0));
        W k = WS.FusedMultiplyAdd(x, WS.Create(Log2E), WS.Create(Shifter));
        W n = k - WS.Create(Shifter);
        W r = WS.FusedMultiplyAdd(n, WS.Create(-Ln2Hi), x);
        r = WS.FusedMultiplyAdd(n, WS.Create(-Ln2Lo), r);
        W p = WS.Create(1.0 / 479001600);                          // 1/12!
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 39916800));  // 1/11!
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 3628800));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 362880));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 40320));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 5040));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 720));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 120));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 24));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(1.0 / 6));
        p = WS.FusedMultiplyAdd(p, r, WS.Create(0.5));
        p = WS.FusedMultiplyAdd(p, r, W.One);
        p = WS.FusedMultiplyAdd(p, r, W.One);
        Vector512<long> bits = (k.AsInt64() + WS.Create(1023L - ShifterBits)) << 52;
        return p * bits.AsDouble();
    }

    /// <summary>ln x on eight lanes: the same expression as <see cref="Log(V)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W Log(W x)
    {
        Vector512<long> bits = x.AsInt64();
        W e = (WS.ShiftRightLogical(bits, 52) | WS.Create(0x4330000000000000L)).AsDouble() - WS.Create(4503599627370496.0);
        W m = ((bits & WS.Create(0x000FFFFFFFFFFFFFL)) | WS.Create(0x3FF0000000000000L)).AsDouble();
        W big = WS.GreaterThan(m, WS.Create(1.4142135623730951));
        m = WS.ConditionalSelect(big, m * WS.Create(0.5), m);
        e = e + (big & W.One) - WS.Create(1023.0);
        W f = (m - W.One) / (m + W.One);
        W s = f * f;
        W p = WS.Create(1.0 / 21);
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 19));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 17));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 15));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 13));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 11));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 9));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 7));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 5));
        p = WS.FusedMultiplyAdd(p, s, WS.Create(1.0 / 3));
        W twoF = f + f;
        W lnM = WS.FusedMultiplyAdd(twoF * s, p, twoF);
        return WS.FusedMultiplyAdd(e, WS.Create(Ln2Hi), WS.FusedMultiplyAdd(e, WS.Create(Ln2Lo), lnM));
    }

    /// <summary>
    /// <see cref="Exp(V)"/> with the Taylor polynomial evaluated by Estrin's scheme (powers r², r⁴, r⁸ and pairs of
    /// terms) instead of Horner's rule: four dependent multiply-adds instead of twelve, so that independent exponentials
    /// overlap in the out-of-order window. The same series and accuracy; the rounding may differ in the last bit.
    /// Used by the objective kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V ExpShortChain(V x)
    {
        x = VS.Min(VS.Max(x, VS.Create(-708.0)), VS.Create(709.0));
        V k = VS.FusedMultiplyAdd(x, VS.Create(Log2E), VS.Create(Shifter));
        V n = k - VS.Create(Shifter);
        V r = VS.FusedMultiplyAdd(n, VS.Create(-Ln2Hi), x);
        r = VS.FusedMultiplyAdd(n, VS.Create(-Ln2Lo), r);
        V r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        // Σ r^i/i!, i ≤ 12: pairs (c_i + c_{i+1}·r), then by r², r⁴, r⁸.
        V q0 = VS.FusedMultiplyAdd(r, V.One, V.One);
        V q1 = VS.FusedMultiplyAdd(r, VS.Create(1.0 / 6), VS.Create(0.5));
        V q2 = VS.FusedMultiplyAdd(r, VS.Create(1.0 / 120), VS.Create(1.0 / 24));
        V q3 = VS.FusedMultiplyAdd(r, VS.Create(1.0 / 5040), VS.Create(1.0 / 720));
        V q4 = VS.FusedMultiplyAdd(r, VS.Create(1.0 / 362880), VS.Create(1.0 / 40320));
        V q5 = VS.FusedMultiplyAdd(r, VS.Create(1.0 / 39916800), VS.Create(1.0 / 3628800));
        V s0 = VS.FusedMultiplyAdd(q1, r2, q0);
        V s1 = VS.FusedMultiplyAdd(q3, r2, q2);
        V s2 = VS.FusedMultiplyAdd(q5, r2, q4);
        V t0 = VS.FusedMultiplyAdd(s1, r4, s0);
        V t1 = VS.FusedMultiplyAdd(VS.Create(1.0 / 479001600), r4, s2);
        V p = VS.FusedMultiplyAdd(t1, r8, t0);
        Vector256<long> bits = (k.AsInt64() + VS.Create(1023L - ShifterBits)) << 52;
        return p * bits.AsDouble();
    }

    /// <summary>
    /// <see cref="Log(V)"/> with the atanh series evaluated by Estrin's scheme (see <see cref="ExpShortChain(V)"/>): the same
    /// series and accuracy, rounding may differ in the last bit. Used by the objective kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V LogShortChain(V x)
    {
        Vector256<long> bits = x.AsInt64();
        V e = (VS.ShiftRightLogical(bits, 52) | VS.Create(0x4330000000000000L)).AsDouble() - VS.Create(4503599627370496.0);
        V m = ((bits & VS.Create(0x000FFFFFFFFFFFFFL)) | VS.Create(0x3FF0000000000000L)).AsDouble();
        V big = VS.GreaterThan(m, VS.Create(1.4142135623730951));
        m = VS.ConditionalSelect(big, m * VS.Create(0.5), m);
        e = e + (big & V.One) - VS.Create(1023.0);
        V f = (m - V.One) / (m + V.One);
        V s = f * f;
        V s2 = s * s, s4 = s2 * s2, s8 = s4 * s4;
        // Σ s^i/(2i + 3), i ≤ 9: pairs, then by s², s⁴, s⁸.
        V q0 = VS.FusedMultiplyAdd(s, VS.Create(1.0 / 5), VS.Create(1.0 / 3));
        V q1 = VS.FusedMultiplyAdd(s, VS.Create(1.0 / 9), VS.Create(1.0 / 7));
        V q2 = VS.FusedMultiplyAdd(s, VS.Create(1.0 / 13), VS.Create(1.0 / 11));
        V q3 = VS.FusedMultiplyAdd(s, VS.Create(1.0 / 17), VS.Create(1.0 / 15));
        V q4 = VS.FusedMultiplyAdd(s, VS.Create(1.0 / 21), VS.Create(1.0 / 19));
        V t0 = VS.FusedMultiplyAdd(q1, s2, q0);
        V t1 = VS.FusedMultiplyAdd(q3, s2, q2);
        V u0 = VS.FusedMultiplyAdd(t1, s4, t0);
        V p = VS.FusedMultiplyAdd(q4, s8, u0);
        V twoF = f + f;
        V lnM = VS.FusedMultiplyAdd(twoF * s, p, twoF);
        return VS.FusedMultiplyAdd(e, VS.Create(Ln2Hi), VS.FusedMultiplyAdd(e, VS.Create(Ln2Lo), lnM));
    }

    /// <summary>
    /// Eight lanes: <see cref="Exp(W)"/> with the Taylor polynomial evaluated by Estrin's scheme (powers r², r⁴, r⁸ and pairs of
    /// terms) instead of Horner's rule: four dependent multiply-adds instead of twelve, so that independent exponentials
    /// overlap in the out-of-order window. The same series and accuracy; the rounding may differ in the last bit.
    /// Used by the objective kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W ExpShortChain(W x)
    {
        x = WS.Min(WS.Max(x, WS.Create(-708.0)), WS.Create(709.0));
        W k = WS.FusedMultiplyAdd(x, WS.Create(Log2E), WS.Create(Shifter));
        W n = k - WS.Create(Shifter);
        W r = WS.FusedMultiplyAdd(n, WS.Create(-Ln2Hi), x);
        r = WS.FusedMultiplyAdd(n, WS.Create(-Ln2Lo), r);
        W r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        // Σ r^i/i!, i ≤ 12: pairs (c_i + c_{i+1}·r), then by r², r⁴, r⁸.
        W q0 = WS.FusedMultiplyAdd(r, W.One, W.One);
        W q1 = WS.FusedMultiplyAdd(r, WS.Create(1.0 / 6), WS.Create(0.5));
        W q2 = WS.FusedMultiplyAdd(r, WS.Create(1.0 / 120), WS.Create(1.0 / 24));
        W q3 = WS.FusedMultiplyAdd(r, WS.Create(1.0 / 5040), WS.Create(1.0 / 720));
        W q4 = WS.FusedMultiplyAdd(r, WS.Create(1.0 / 362880), WS.Create(1.0 / 40320));
        W q5 = WS.FusedMultiplyAdd(r, WS.Create(1.0 / 39916800), WS.Create(1.0 / 3628800));
        W s0 = WS.FusedMultiplyAdd(q1, r2, q0);
        W s1 = WS.FusedMultiplyAdd(q3, r2, q2);
        W s2 = WS.FusedMultiplyAdd(q5, r2, q4);
        W t0 = WS.FusedMultiplyAdd(s1, r4, s0);
        W t1 = WS.FusedMultiplyAdd(WS.Create(1.0 / 479001600), r4, s2);
        W p = WS.FusedMultiplyAdd(t1, r8, t0);
        Vector512<long> bits = (k.AsInt64() + WS.Create(1023L - ShifterBits)) << 52;
        return p * bits.AsDouble();
    }

    /// <summary>
    /// <see cref="Log(W)"/> with the atanh series evaluated by Estrin's scheme (see <see cref="ExpShortChain(W)"/>): the same
    /// series and accuracy, rounding may differ in the last bit. Used by the objective kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W LogShortChain(W x)
    {
        Vector512<long> bits = x.AsInt64();
        W e = (WS.ShiftRightLogical(bits, 52) | WS.Create(0x4330000000000000L)).AsDouble() - WS.Create(4503599627370496.0);
        W m = ((bits & WS.Create(0x000FFFFFFFFFFFFFL)) | WS.Create(0x3FF0000000000000L)).AsDouble();
        W big = WS.GreaterThan(m, WS.Create(1.4142135623730951));
        m = WS.ConditionalSelect(big, m * WS.Create(0.5), m);
        e = e + (big & W.One) - WS.Create(1023.0);
        W f = (m - W.One) / (m + W.One);
        W s = f * f;
        W s2 = s * s, s4 = s2 * s2, s8 = s4 * s4;
        // Σ s^i/(2i + 3), i ≤ 9: pairs, then by s², s⁴, s⁸.
        W q0 = WS.FusedMultiplyAdd(s, WS.Create(1.0 / 5), WS.Create(1.0 / 3));
        W q1 = WS.FusedMultiplyAdd(s, WS.Create(1.0 / 9), WS.Create(1.0 / 7));
        W q2 = WS.FusedMultiplyAdd(s, WS.Create(1.0 / 13), WS.Create(1.0 / 11));
        W q3 = WS.FusedMultiplyAdd(s, WS.Create(1.0 / 17), WS.Create(1.0 / 15));
        W q4 = WS.FusedMultiplyAdd(s, WS.Create(1.0 / 21), WS.Create(1.0 / 19));
        W t0 = WS.FusedMultiplyAdd(q1, s2, q0);
        W t1 = WS.FusedMultiplyAdd(q3, s2, q2);
        W u0 = WS.FusedMultiplyAdd(t1, s4, t0);
        W p = WS.FusedMultiplyAdd(q4, s8, u0);
        W twoF = f + f;
        W lnM = WS.FusedMultiplyAdd(twoF * s, p, twoF);
        return WS.FusedMultiplyAdd(e, WS.Create(Ln2Hi), WS.FusedMultiplyAdd(e, WS.Create(Ln2Lo), lnM));
    }

    /// <summary>The logistic function σ(x) = 1/(1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid(V x) => V.One / (V.One + Exp(-x));

    /// <summary>tanh x = 2σ(2x) − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh(V x)
    {
        V two = VS.Create(2.0);
        return two / (V.One + Exp(-two * x)) - V.One;
    }
}
