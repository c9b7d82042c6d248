using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector256<float>;
using VS = System.Runtime.Intrinsics.Vector256;

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
        // k = round(−x·log₂e) and s = x + k·ln 2 = −r, so that no negation sits on the dependency chain; e^r = e^−s by the
        // polynomial with its odd coefficients negated (the same numbers as in r).
        V c = VS.Min(VS.Max(x, VS.Create(Lowest)), VS.Create(Highest));
        V k = Avx512F.VL.RoundScale(c * VS.Create(-Log2E), 0);   // nearest integer
        V s = VS.FusedMultiplyAdd(k, VS.Create(C1), c);
        s = VS.FusedMultiplyAdd(k, VS.Create(C2), s);
        V s2 = s * s, s4 = s2 * s2;
        V lo = VS.FusedMultiplyAdd(s2, VS.FusedMultiplyAdd(VS.Create(-P4), s, VS.Create(P5)), V.One - s);
        V hi = VS.FusedMultiplyAdd(s2, VS.FusedMultiplyAdd(VS.Create(-P0), s, VS.Create(P1)), VS.FusedMultiplyAdd(VS.Create(-P2), s, VS.Create(P3)));
        V d = Avx512F.VL.Scale(VS.FusedMultiplyAdd(hi, s4, lo), k) + V.One;
        V q = Avx512F.VL.Reciprocal14(d);
        return q * Fma.MultiplyAddNegated(d, q, VS.Create(2f));   // q(2 − dq)
    }

    /// <summary>tanh x = 2σ(2x) − 1 (see the class remarks for its accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh(V x)
    {
        if (!Avx512F.VL.IsSupported) return FloatMath.Tanh(x);
        return VS.FusedMultiplyAdd(VS.Create(2f), Sigmoid(x + x), -V.One);
    }
}
