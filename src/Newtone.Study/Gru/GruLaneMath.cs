using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector256<float>;
using VS = System.Runtime.Intrinsics.Vector256;
using W = System.Runtime.Intrinsics.Vector512<float>;
using WS = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Study;

/// <summary>
/// σ and tanh of eight floats for the GRU training batch (docs/model.md §7), where they are most of the forward pass's
/// work. With AVX-512 (VL) every step is a pipelined instruction: e^−x = 2^k·e^r with k = round(−x·log₂e) (vrndscaleps),
/// r = −x − k·ln 2 (ln 2 in two parts, Cephes), e^r by <see cref="FloatMath"/>'s degree-5 polynomial, 2^k applied by
/// vscalefps, and 1/(1 + e^−x) by the 14-bit reciprocal estimate and one Newton step (no division). σ is then within five
/// ulp (tested); tanh x = 2σ(2x) − 1 is within 4e-7 absolute (it loses relative accuracy near 0, which the hidden state,
/// a convex mix of tanh values and earlier states, does not need). Elsewhere they are <see cref="FloatMath"/>'s.
/// </summary>
internal static class GruLaneMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float C1 = 0.693359375f, C2 = -2.12194440e-4f;   // ln 2 = C1 + C2 (C1 exact in 9 bits)
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
        P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    // e^88 + 1 is still a finite float, so the reciprocal's Newton step stays finite; beyond 88, e^−x is below every
    // normal float and σ is 1 (the clamp also keeps the range reduction exact).
    private const float Lowest = -88f, Highest = 88f;

    /// <summary>σ(x) = 1/(1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid(V x)
    {
        if (!Avx512F.VL.IsSupported) return FloatMath.Sigmoid(x);
        V y = -VS.Min(VS.Max(x, VS.Create(Lowest)), VS.Create(Highest));
        V k = Avx512F.VL.RoundScale(y * VS.Create(Log2E), 0);   // nearest integer
        V r = VS.FusedMultiplyAdd(k, VS.Create(-C1), y);
        r = VS.FusedMultiplyAdd(k, VS.Create(-C2), r);
        V r2 = r * r, r4 = r2 * r2;
        V lo = VS.FusedMultiplyAdd(r2, VS.FusedMultiplyAdd(VS.Create(P4), r, VS.Create(P5)), r + V.One);
        V hi = VS.FusedMultiplyAdd(r2, VS.FusedMultiplyAdd(VS.Create(P0), r, VS.Create(P1)), VS.FusedMultiplyAdd(VS.Create(P2), r, VS.Create(P3)));
        V d = Avx512F.VL.Scale(VS.FusedMultiplyAdd(hi, r4, lo), k) + V.One;
        V q = Avx512F.VL.Reciprocal14(d);
        return q * VS.FusedMultiplyAdd(-d, q, VS.Create(2f));   // q(2 − dq)
    }

    /// <summary>tanh x = 2σ(2x) − 1 (see the class remarks for its accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh(V x)
    {
        if (!Avx512F.VL.IsSupported) return FloatMath.Tanh(x);
        return VS.FusedMultiplyAdd(VS.Create(2f), Sigmoid(x + x), -V.One);
    }

    /// <summary>σ(x) = 1/(1 + e^−x) of 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W Sigmoid(W x)
    {
        if (!Avx512F.IsSupported) return FloatMath.Sigmoid(x);
        W y = -WS.Min(WS.Max(x, WS.Create(Lowest)), WS.Create(Highest));
        W k = Avx512F.RoundScale(y * WS.Create(Log2E), 0);   // nearest integer
        W r = WS.FusedMultiplyAdd(k, WS.Create(-C1), y);
        r = WS.FusedMultiplyAdd(k, WS.Create(-C2), r);
        W r2 = r * r, r4 = r2 * r2;
        W lo = WS.FusedMultiplyAdd(r2, WS.FusedMultiplyAdd(WS.Create(P4), r, WS.Create(P5)), r + W.One);
        W hi = WS.FusedMultiplyAdd(r2, WS.FusedMultiplyAdd(WS.Create(P0), r, WS.Create(P1)), WS.FusedMultiplyAdd(WS.Create(P2), r, WS.Create(P3)));
        W d = Avx512F.Scale(WS.FusedMultiplyAdd(hi, r4, lo), k) + W.One;
        W q = Avx512F.Reciprocal14(d);
        return q * WS.FusedMultiplyAdd(-d, q, WS.Create(2f));   // q(2 − dq)
    }

    /// <summary>tanh x = 2σ(2x) − 1 of 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static W Tanh(W x)
    {
        if (!Avx512F.IsSupported) return FloatMath.Tanh(x);
        return WS.FusedMultiplyAdd(WS.Create(2f), Sigmoid(x + x), -W.One);
    }
}
