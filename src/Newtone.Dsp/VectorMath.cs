using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Dsp;

/// <summary>
/// Natural logarithm and exponential of four doubles, written to be inlined into the objective's
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
