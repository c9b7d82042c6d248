using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Fitting;

/// <summary>
/// The objective's inner loops (docs/model.md §2–§3). Each vector lane runs one frame from the initial state
/// (ĝ = 1, pre-filter state 0) and accumulates, in double precision, the sums from which the loss,
/// its gradient and its exact Hessian follow.
///
/// Notation per lane: detector d[j] (x in forward mode, P[x] in inverse mode), the smoothed gain
/// G = ĝ and its derivatives G_i, G_ij with respect to p = (T, uR, ua, ur) carried forward in time
/// (forward-mode second-order differentiation of the recursion of docs/model.md §1). The model signal is
/// <c>z = ĝ[n+d]·x[n]</c> (forward) or <c>z = t[n]/ĝ[n+d]</c> (inverse); the prediction is
/// <c>y = Scale·P[z]</c>, the reference <c>ρ = P[t]</c> (forward) or <c>P[x]</c> (inverse), the residual
/// <c>r = y − ρ</c>. Because P is linear, <c>P[∂z] = ∂P[z]</c>, so the 15 derivative signals are
/// pre-filtered exactly like the signal.
/// </summary>
internal static class ObjectiveKernel
{
    /// <summary>Sums per lane of the loss-only kernel: Σr², Σy², Σry, Σρ².</summary>
    public const int LossSums = 4;

    /// <summary>
    /// Sums per lane of the derivative kernel:
    /// [0] Σr², [1] Σry, [2] Σy², [3] Σρ², [4..8) Σr·P∂_i z, [8..12) Σy·P∂_i z,
    /// [12..22) ΣP∂_i z·P∂_j z (i ≤ j), [22..32) Σr·P∂²_ij z (i ≤ j); pairs ordered
    /// TT, TR, Ta, Tr, RR, Ra, Rr, aa, ar, rr.
    /// </summary>
    public const int DerivativeSums = 32;

    /// <summary>Lanes per pack.</summary>
    public const int Lanes = 4;

    /// <summary>Four lanes' frame pointers (arrays pinned for the duration of a kernel call).</summary>
    private unsafe readonly struct Lanes4(float* a, float* b, float* c, float* d)
    {
        private readonly float* _a = a, _b = b, _c = c, _d = d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Load(int j) =>
            // Build the four floats first, then widen once: converting scalars one by one into a
            // vector register merges with its old contents, a false dependency across samples.
            VS.WidenLower(Vector128.Create(_a[j], _b[j], _c[j], _d[j]).ToVector256Unsafe());
    }

    private static void CheckBounds(in KernelPack p)
    {
        for (int l = 0; l < Lanes; l++)
        {
            if (p.Start[l] < 0 || p.Start[l] + p.FrameLength > p.Input[l].Length || p.Start[l] + p.FrameLength > p.Target[l].Length)
                throw new ArgumentOutOfRangeException(nameof(p), "frame exceeds its channel");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Lane(LaneConstants[] c, Func<LaneConstants, double> f) => VS.Create(f(c[0]), f(c[1]), f(c[2]), f(c[3]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma(V a, V b, V c) => VS.FusedMultiplyAdd(a, b, c);

    /// <summary>Loss-only pass: per lane Σr², Σy², Σry, Σρ² (see <see cref="LossSums"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Loss<TMode>(in KernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        V kT = Lane(c, q => q.KT), s = Lane(c, q => q.S), scale = Lane(c, q => q.Scale);
        V aA = Lane(c, q => q.Attack), aR = Lane(c, q => q.Release);
                int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]])
        {
        var xs = new Lanes4(x0, x1, x2, x3);
        var ts = new Lanes4(t0, t1, t2, t3);

        V G = V.One;
        V detIn = V.Zero, detOut = V.Zero;      // detector pre-filter (inverse mode)
        V zIn = V.Zero, zOut = V.Zero;          // model pre-filter
        V rIn = V.Zero, rOut = V.Zero;          // reference pre-filter
        V srr = V.Zero, syy = V.Zero, sry = V.Zero, spp = V.Zero;

        for (int j = 0; j < frame + delay; j++)
        {
            if (j < frame)
            {
                // Gain computer and smoothing, docs/model.md §1.
                V det = xs.Load(j);
                if (TMode.Inverse) det = PreFilter.Step(det, ref detIn, ref detOut);
                V g = VectorMath.Exp(GainComputer.LogGain(GainComputer.LogLevel(det), kT, s));
                G = Ballistics.Step(G, g, aA, aR);
            }
            else
            {
                G = V.One;   // advanced gain padded with 1
            }
            int n = j - delay;
            if (n < 0) continue;

            V z, rho;
            if (TMode.Inverse)
            {
                z = ts.Load(n) / G;
                rho = PreFilter.Step(xs.Load(n), ref rIn, ref rOut);
            }
            else
            {
                z = G * xs.Load(n);
                rho = PreFilter.Step(ts.Load(n), ref rIn, ref rOut);
            }
            V y = scale * PreFilter.Step(z, ref zIn, ref zOut);
            if (n < overlap) continue;
            V r = y - rho;
            srr = Fma(r, r, srr);
            syy = Fma(y, y, syy);
            sry = Fma(r, y, sry);
            spp = Fma(rho, rho, spp);
        }
        for (int l = 0; l < Lanes; l++)
        {
            var o = sums.Slice(l * LossSums, LossSums);
            o[0] = srr[l]; o[1] = syy[l]; o[2] = sry[l]; o[3] = spp[l];
        }
        }
    }

    /// <summary>Loss, gradient and Hessian sums in one pass (see <see cref="DerivativeSums"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Derivatives<TMode>(in KernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        V kT = Lane(c, q => q.KT), s = Lane(c, q => q.S), ks = Lane(c, q => q.KS);
        V cR = Lane(c, q => q.CR), cRR = Lane(c, q => q.CRR), kcR = Lane(c, q => q.KCR);
        V aA = Lane(c, q => q.Attack), aA1 = Lane(c, q => q.AttackD1), aA2 = Lane(c, q => q.AttackD2);
        V aR = Lane(c, q => q.Release), aR1 = Lane(c, q => q.ReleaseD1), aR2 = Lane(c, q => q.ReleaseD2);
        V scale = Lane(c, q => q.Scale);
                V two = VS.Create(2.0);
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]])
        {
        var xs = new Lanes4(x0, x1, x2, x3);
        var ts = new Lanes4(t0, t1, t2, t3);

        // Smoothed gain and its derivatives with respect to (T, uR, ua, ur).
        V G = V.One;
        V GT = V.Zero, GR = V.Zero, Ga = V.Zero, Gr = V.Zero;
        V GTT = V.Zero, GTR = V.Zero, GTa = V.Zero, GTr = V.Zero, GRR = V.Zero;
        V GRa = V.Zero, GRr = V.Zero, Gaa = V.Zero, Gar = V.Zero, Grr = V.Zero;

        V detIn = V.Zero, detOut = V.Zero, rIn = V.Zero, rOut = V.Zero;
        // Pre-filter states of z and its 14 derivatives: previous input (i) and output (o).
        V i0 = V.Zero, o0 = V.Zero;
        V iT = V.Zero, oT = V.Zero, iR = V.Zero, oR = V.Zero, ia = V.Zero, oa = V.Zero, ir = V.Zero, or = V.Zero;
        V iTT = V.Zero, oTT = V.Zero, iTR = V.Zero, oTR = V.Zero, iTa = V.Zero, oTa = V.Zero, iTr = V.Zero, oTr = V.Zero;
        V iRR = V.Zero, oRR = V.Zero, iRa = V.Zero, oRa = V.Zero, iRr = V.Zero, oRr = V.Zero;
        V iaa = V.Zero, oaa = V.Zero, iar = V.Zero, oar = V.Zero, irr = V.Zero, orr = V.Zero;

        // Accumulators.
        V srr = V.Zero, sry = V.Zero, syy = V.Zero, spp = V.Zero;
        V rT = V.Zero, rR = V.Zero, ra = V.Zero, rr = V.Zero;
        V yT = V.Zero, yR = V.Zero, ya = V.Zero, yr = V.Zero;
        V dTT = V.Zero, dTR = V.Zero, dTa = V.Zero, dTr = V.Zero, dRR = V.Zero, dRa = V.Zero, dRr = V.Zero, daa = V.Zero, dar = V.Zero, drr = V.Zero;
        V hTT = V.Zero, hTR = V.Zero, hTa = V.Zero, hTr = V.Zero, hRR = V.Zero, hRa = V.Zero, hRr = V.Zero, haa = V.Zero, har = V.Zero, hrr = V.Zero;

        for (int j = 0; j < frame + delay; j++)
        {
            if (j < frame)
            {
                V det = xs.Load(j);
                if (TMode.Inverse) det = PreFilter.Step(det, ref detIn, ref detOut);
                V g = VectorMath.Exp(GainComputer.LogGain(GainComputer.LogLevel(det), kT, s, out V v, out V comp));

                // Derivatives of L = ln g on the compressor branch:
                //   ∂L/∂T = kS, ∂L/∂uR = v·CR, ∂²L/∂T∂uR = k·CR, ∂²L/∂uR² = v·CRR, ∂²L/∂T² = 0
                // and of g = e^L: g_i = g·L_i, g_ij = g·(L_ij + L_i·L_j).
                V LT = ks & comp;
                V LR = (v * cR) & comp;
                V gT = g * LT, gR = g * LR;
                V gTT = gT * LT;
                V gTR = Fma(g, kcR & comp, gT * LR);
                V gRR = Fma(g, (v * cRR) & comp, gR * LR);

                // ĝ = ĝ + α(g − ĝ), α = αa if g < ĝ else αr; the branch is piecewise constant, so
                // ∂α/∂ua = αa' only on attack samples and ∂α/∂ur = αr' only on release samples.
                V a = Ballistics.Select(G, g, aA, aR, out V att);
                V A1a = aA1 & att, A1r = VS.AndNot(aR1, att);
                V A2a = aA2 & att, A2r = VS.AndNot(aR2, att);
                V D = g - G;
                V DT = gT - GT, DR = gR - GR;   // ∂D/∂T, ∂D/∂uR; ∂D/∂ua = −Ga, ∂D/∂ur = −Gr

                // Second derivatives first (they use the previous first derivatives):
                //   G_ij += α_ij·D + α_i·D_j + α_j·D_i + α·(g_ij − G_ij)
                GTT = Fma(a, gTT - GTT, GTT);
                GTR = Fma(a, gTR - GTR, GTR);
                GRR = Fma(a, gRR - GRR, GRR);
                GTa = Fma(A1a, DT, Fma(-a, GTa, GTa));
                GTr = Fma(A1r, DT, Fma(-a, GTr, GTr));
                GRa = Fma(A1a, DR, Fma(-a, GRa, GRa));
                GRr = Fma(A1r, DR, Fma(-a, GRr, GRr));
                Gaa = Fma(A2a, D, Fma(-two * A1a, Ga, Fma(-a, Gaa, Gaa)));
                Gar = Fma(-A1a, Gr, Fma(-A1r, Ga, Fma(-a, Gar, Gar)));
                Grr = Fma(A2r, D, Fma(-two * A1r, Gr, Fma(-a, Grr, Grr)));
                // First derivatives: G_i += α_i·D + α·D_i.
                GT = Fma(a, DT, GT);
                GR = Fma(a, DR, GR);
                Ga = Fma(A1a, D, Fma(-a, Ga, Ga));
                Gr = Fma(A1r, D, Fma(-a, Gr, Gr));
                G = Fma(a, D, G);
            }
            else if (j == frame)
            {
                // Advanced gain padded with 1: constant, no derivatives.
                G = V.One;
                GT = GR = Ga = Gr = V.Zero;
                GTT = GTR = GTa = GTr = GRR = GRa = GRr = Gaa = Gar = Grr = V.Zero;
            }
            int n = j - delay;
            if (n < 0) continue;

            // Model signal z and its derivatives.
            V z0, zT, zR, za, zr, zTT, zTR, zTa, zTr, zRR, zRa, zRr, zaa, zar, zrr, rho;
            if (TMode.Inverse)
            {
                // z = t/G:  z_i = −(t/G²)·G_i,  z_ij = (t/G²)·(2·G_i·G_j/G − G_ij)
                V ig = V.One / G;
                V w = ts.Load(n) * ig;
                V w2 = w * ig;
                V q = two * ig;
                z0 = w;
                zT = -w2 * GT; zR = -w2 * GR; za = -w2 * Ga; zr = -w2 * Gr;
                V qT = q * GT, qR = q * GR, qa = q * Ga;
                zTT = w2 * Fma(qT, GT, -GTT); zTR = w2 * Fma(qT, GR, -GTR);
                zTa = w2 * Fma(qT, Ga, -GTa); zTr = w2 * Fma(qT, Gr, -GTr);
                zRR = w2 * Fma(qR, GR, -GRR); zRa = w2 * Fma(qR, Ga, -GRa);
                zRr = w2 * Fma(qR, Gr, -GRr); zaa = w2 * Fma(qa, Ga, -Gaa);
                zar = w2 * Fma(qa, Gr, -Gar); zrr = w2 * Fma(q * Gr, Gr, -Grr);
                rho = PreFilter.Step(xs.Load(n), ref rIn, ref rOut);
            }
            else
            {
                // z = G·x: every derivative is the gain's derivative times x.
                V xn = xs.Load(n);
                z0 = G * xn;
                zT = GT * xn; zR = GR * xn; za = Ga * xn; zr = Gr * xn;
                zTT = GTT * xn; zTR = GTR * xn; zTa = GTa * xn; zTr = GTr * xn; zRR = GRR * xn;
                zRa = GRa * xn; zRr = GRr * xn; zaa = Gaa * xn; zar = Gar * xn; zrr = Grr * xn;
                rho = PreFilter.Step(ts.Load(n), ref rIn, ref rOut);
            }

            // Pre-filter everything (linear, so P∂z = ∂Pz).
            V y = scale * PreFilter.Step(z0, ref i0, ref o0);
            V pT = PreFilter.Step(zT, ref iT, ref oT), pR = PreFilter.Step(zR, ref iR, ref oR);
            V pa = PreFilter.Step(za, ref ia, ref oa), pr = PreFilter.Step(zr, ref ir, ref or);
            V pTT = PreFilter.Step(zTT, ref iTT, ref oTT), pTR = PreFilter.Step(zTR, ref iTR, ref oTR);
            V pTa = PreFilter.Step(zTa, ref iTa, ref oTa), pTr = PreFilter.Step(zTr, ref iTr, ref oTr);
            V pRR = PreFilter.Step(zRR, ref iRR, ref oRR), pRa = PreFilter.Step(zRa, ref iRa, ref oRa);
            V pRr = PreFilter.Step(zRr, ref iRr, ref oRr), paa = PreFilter.Step(zaa, ref iaa, ref oaa);
            V par = PreFilter.Step(zar, ref iar, ref oar), prr = PreFilter.Step(zrr, ref irr, ref orr);
            if (n < overlap) continue;

            V r = y - rho;
            srr = Fma(r, r, srr); sry = Fma(r, y, sry); syy = Fma(y, y, syy); spp = Fma(rho, rho, spp);
            rT = Fma(r, pT, rT); rR = Fma(r, pR, rR); ra = Fma(r, pa, ra); rr = Fma(r, pr, rr);
            yT = Fma(y, pT, yT); yR = Fma(y, pR, yR); ya = Fma(y, pa, ya); yr = Fma(y, pr, yr);
            dTT = Fma(pT, pT, dTT); dTR = Fma(pT, pR, dTR); dTa = Fma(pT, pa, dTa); dTr = Fma(pT, pr, dTr);
            dRR = Fma(pR, pR, dRR); dRa = Fma(pR, pa, dRa); dRr = Fma(pR, pr, dRr);
            daa = Fma(pa, pa, daa); dar = Fma(pa, pr, dar); drr = Fma(pr, pr, drr);
            hTT = Fma(r, pTT, hTT); hTR = Fma(r, pTR, hTR); hTa = Fma(r, pTa, hTa); hTr = Fma(r, pTr, hTr);
            hRR = Fma(r, pRR, hRR); hRa = Fma(r, pRa, hRa); hRr = Fma(r, pRr, hRr);
            haa = Fma(r, paa, haa); har = Fma(r, par, har); hrr = Fma(r, prr, hrr);
        }

        Span<V> all = [srr, sry, syy, spp, rT, rR, ra, rr, yT, yR, ya, yr,
            dTT, dTR, dTa, dTr, dRR, dRa, dRr, daa, dar, drr,
            hTT, hTR, hTa, hTr, hRR, hRa, hRr, haa, har, hrr];
        for (int l = 0; l < Lanes; l++)
        {
            var o = sums.Slice(l * DerivativeSums, DerivativeSums);
            for (int q = 0; q < DerivativeSums; q++) o[q] = all[q][l];
        }
        }
    }
}
