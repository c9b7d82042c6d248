using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Fitting;

/// <summary>
/// The opto model's objective kernels (docs/model.md §11.2 on §2–§3): each lane runs one frame from the initial state
/// (ĝf = ĝs = 1, side chain and pre-filters 0) and accumulates, in double precision, the sums from which the loss, its
/// gradient and its exact Hessian over the nine parameters q = (T, uR, uW, uκ, ua, ur, uc, us, uφ) follow (M in closed form).
///
/// The derivatives are carried forward in time with their structure: the static gain depends on (T, R, W, κ) only
/// (4 first, 10 second derivatives), the fast stage on those and (a, r), the slow stage on those and (c, s) (6 + 21 each),
/// and the mix adds φ (9 + 45). The model signal z and its 9 + 45 derivatives are pre-filtered (P is linear) and reduced.
/// </summary>
internal static class OptoKernel
{
    /// <summary>Parameters carried by the kernel (all but M).</summary>
    public const int Parameters = 9;

    /// <summary>Pairs i ≤ j of the kernel's parameters.</summary>
    public const int Pairs = Parameters * (Parameters + 1) / 2;

    /// <summary>Sums per lane of the loss-only kernel: Σr², Σy², Σry, Σρ² (as <see cref="ObjectiveKernel.LossSums"/>).</summary>
    public const int LossSums = 4;

    /// <summary>
    /// Sums per lane of the derivative kernel: [0] Σr², [1] Σry, [2] Σy², [3] Σρ², [4..13) Σr·P∂_q z, [13..22) Σy·P∂_q z,
    /// [22..67) ΣP∂_i z·P∂_j z (i ≤ j, row-major), [67..112) Σr·P∂²_ij z.
    /// </summary>
    public const int DerivativeSums = 4 + 2 * Parameters + 2 * Pairs;

    /// <summary>θ index of each kernel parameter: T, uR, uW, uκ, ua, ur, uc, us, uφ.</summary>
    public static ReadOnlySpan<byte> ThetaIndex => [0, 1, 5, 9, 2, 3, 7, 8, 6];

    // Kernel parameter → index in a stage's derivatives (6 = the zero slot): fast (T, R, W, κ, a, r), slow (T, R, W, κ, c, s).
    private static ReadOnlySpan<byte> FastOf => [0, 1, 2, 3, 4, 5, 6, 6];
    private static ReadOnlySpan<byte> SlowOf => [0, 1, 2, 3, 6, 6, 4, 5];

    // Pairs (i ≤ j) of the first eight kernel parameters, row-major → index in the stages' second derivatives (21 = zero slot).
    private static ReadOnlySpan<byte> FastPairOf => [0, 1, 2, 3, 4, 5, 21, 21, 6, 7, 8, 9, 10, 21, 21, 11, 12, 13, 14, 21, 21, 15, 16, 17, 21, 21, 18, 19, 21, 21, 20, 21, 21, 21, 21, 21];
    private static ReadOnlySpan<byte> SlowPairOf => [0, 1, 2, 3, 21, 21, 4, 5, 6, 7, 8, 21, 21, 9, 10, 11, 12, 21, 21, 13, 14, 15, 21, 21, 16, 17, 21, 21, 21, 21, 21, 21, 21, 18, 19, 20];

    /// <summary>Row-major index of pair (i ≤ j) among n parameters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pair(int n, int i, int j) => i * (2 * n - 1 - i) / 2 + j;

    /// <summary>Four lanes' frame pointers (arrays pinned for the duration of a kernel call).</summary>
    private unsafe readonly struct Lanes4(float* a, float* b, float* c, float* d)
    {
        private readonly float* _a = a, _b = b, _c = c, _d = d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Load(int j) => VS.WidenLower(Vector128.Create(_a[j], _b[j], _c[j], _d[j]).ToVector256Unsafe());
    }

    private static void CheckBounds(in OptoKernelPack p)
    {
        for (int l = 0; l < OptoKernelPack.Lanes; l++)
        {
            if (p.Start[l] < 0 || p.Start[l] + p.FrameLength > p.Input[l].Length || p.Start[l] + p.FrameLength > p.Target[l].Length)
                throw new ArgumentOutOfRangeException(nameof(p), "frame exceeds its channel");
        }
    }

    private static V Lane(OptoLaneConstants[] c, Func<OptoLaneConstants, double> f) => VS.Create(f(c[0]), f(c[1]), f(c[2]), f(c[3]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma(V a, V b, V c) => VS.FusedMultiplyAdd(a, b, c);

    /// <summary>Loss-only pass: per lane Σr², Σy², Σry, Σρ².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Loss<TMode>(in OptoKernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        V kT = Lane(c, q => q.Core.KT), s = Lane(c, q => q.Core.S), scale = Lane(c, q => q.Core.Scale);
        V aA = Lane(c, q => q.Core.Attack), aR = Lane(c, q => q.Core.Release);
        V bC = Lane(c, q => q.Charge), bS = Lane(c, q => q.SlowRelease);
        V w = Lane(c, q => q.Knee), phi = Lane(c, q => q.Share), kappa = Lane(c, q => q.Emphasis), pole = Lane(c, q => q.Pole);
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]])
        {
            var xs = new Lanes4(x0, x1, x2, x3);
            var ts = new Lanes4(t0, t1, t2, t3);
            V Gf = V.One, Gs = V.One, G = V.One;
            V h = V.Zero, hPrev = V.Zero;
            V detIn = V.Zero, detOut = V.Zero, zIn = V.Zero, zOut = V.Zero, rIn = V.Zero, rOut = V.Zero;
            V srr = V.Zero, syy = V.Zero, sry = V.Zero, spp = V.Zero;
            for (int j = 0; j < frame + delay; j++)
            {
                if (j < frame)
                {
                    V det = xs.Load(j);
                    if (TMode.Inverse) det = PreFilter.Step(det, ref detIn, ref detOut);
                    V e = OptoDetector.Step(det, ref h, ref hPrev, pole, kappa);
                    V g = VectorMath.Exp(OptoDetector.LogGain(GainComputer.LogLevel(e), OptoDetector.RawLogLevel(det), kT, s, w));
                    Gf = Ballistics.Step(Gf, g, aA, aR);
                    Gs = Ballistics.Step(Gs, g, bC, bS);
                    G = OptoBallistics.Mix(Gf, Gs, phi);
                }
                else
                {
                    G = V.One;
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
            for (int l = 0; l < OptoKernelPack.Lanes; l++)
            {
                var o = sums.Slice(l * LossSums, LossSums);
                o[0] = srr[l]; o[1] = syy[l]; o[2] = sry[l]; o[3] = spp[l];
            }
        }
    }

    /// <summary>
    /// One stage of docs/model.md §11.2(b) (§3(b) over six parameters: four static, two coefficients): second derivatives
    /// first (they use the previous first derivatives), then the first derivatives, then the value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Stage(V g, V* g1, V* g2, ref V G, V* G1, V* G2, V coefA, V coefA1, V coefA2, V coefB, V coefB1, V coefB2, V* Dq)
    {
        V a = Ballistics.Select(G, g, coefA, coefB, out V att);
        V A1 = coefA1 & att, B1 = VS.AndNot(coefB1, att);
        V A2 = coefA2 & att, B2 = VS.AndNot(coefB2, att);
        V D = g - G;
        for (int i = 0; i < 4; i++) Dq[i] = g1[i] - G1[i];
        V Ga = G1[4], Gb = G1[5];
        // Static pairs: G_ij += α·(g_ij − G_ij).
        for (int i = 0, k = 0; i < 4; i++)
        {
            for (int j = i; j < 4; j++, k++)
            {
                int q = Pair(6, i, j);
                G2[q] = Fma(a, g2[k] - G2[q], G2[q]);
            }
            // Static × coefficient: G_ia += α_a·D_i − α·G_ia.
            int qa = Pair(6, i, 4), qb = Pair(6, i, 5);
            G2[qa] = Fma(A1, Dq[i], Fma(-a, G2[qa], G2[qa]));
            G2[qb] = Fma(B1, Dq[i], Fma(-a, G2[qb], G2[qb]));
        }
        const int AA = 4 * (11 - 4) / 2 + 4, AB = AA + 1, BB = 5 * (11 - 5) / 2 + 5;
        G2[AA] = Fma(A2, D, Fma(-(A1 + A1), Ga, Fma(-a, G2[AA], G2[AA])));
        G2[AB] = Fma(-A1, Gb, Fma(-B1, Ga, Fma(-a, G2[AB], G2[AB])));
        G2[BB] = Fma(B2, D, Fma(-(B1 + B1), Gb, Fma(-a, G2[BB], G2[BB])));
        for (int i = 0; i < 4; i++) G1[i] = Fma(a, Dq[i], G1[i]);
        G1[4] = Fma(A1, D, Fma(-a, Ga, Ga));
        G1[5] = Fma(B1, D, Fma(-a, Gb, Gb));
        G = Fma(a, D, G);
    }

    /// <summary>Loss, gradient and Hessian sums in one pass (see <see cref="DerivativeSums"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Derivatives<TMode>(in OptoKernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        const double k = Decibels.NepersPerDecibel;
        var c = p.Theta;
        V kT = Lane(c, q => q.Core.KT), s = Lane(c, q => q.Core.S);
        V cR = Lane(c, q => q.Core.CR), cRR = Lane(c, q => q.Core.CRR);
        V aA = Lane(c, q => q.Core.Attack), aA1 = Lane(c, q => q.Core.AttackD1), aA2 = Lane(c, q => q.Core.AttackD2);
        V aR = Lane(c, q => q.Core.Release), aR1 = Lane(c, q => q.Core.ReleaseD1), aR2 = Lane(c, q => q.Core.ReleaseD2);
        V bC = Lane(c, q => q.Charge), bC1 = Lane(c, q => q.ChargeD1), bC2 = Lane(c, q => q.ChargeD2);
        V bS = Lane(c, q => q.SlowRelease), bS1 = Lane(c, q => q.SlowReleaseD1), bS2 = Lane(c, q => q.SlowReleaseD2);
        V w = Lane(c, q => q.Knee), w1 = Lane(c, q => q.KneeD1), w2 = Lane(c, q => q.KneeD2);
        V phi = Lane(c, q => q.Share), phi1 = Lane(c, q => q.ShareD1), phi2 = Lane(c, q => q.ShareD2);
        V kappa = Lane(c, q => q.Emphasis), kappa1 = Lane(c, q => q.EmphasisD1), kappa2 = Lane(c, q => q.EmphasisD2);
        V pole = Lane(c, q => q.Pole), scale = Lane(c, q => q.Core.Scale);
        V one = V.One, half = VS.Create(0.5), two = VS.Create(2.0), vk = VS.Create(k), floor = VS.Create(GainComputer.Floor);
        V omphi = one - phi;
        V iw = one / w;                     // used in knee lanes only (w > 0 there)
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);

        // Working memory: static gain derivatives, the two stages (with zero slots), the mix, pre-filter states, sums.
        const int N1 = Parameters, N2 = Pairs, NZ = 1 + N1 + N2;
        int total = 4 + 10 + 2 * (7 + 22) + N1 + N2 + 2 * NZ + N1 + DerivativeSums;
        V* mem = stackalloc V[total];
        new Span<V>(mem, total).Clear();
        V* g1 = mem, g2 = g1 + 4;
        V* F1 = g2 + 10, F2 = F1 + 7, S1 = F2 + 22, S2 = S1 + 7;
        V* M1 = S2 + 22, M2 = M1 + N1;
        V* fin = M2 + N2, fout = fin + NZ;     // pre-filter states of z, ∂_q z, ∂²_ij z
        V* P1 = fout + NZ;                     // this sample's P∂_q z
        V* acc = P1 + N1;
        var fastOf = FastOf;
        var slowOf = SlowOf;
        var fastPair = FastPairOf;
        var slowPair = SlowPairOf;
        V* Dq = stackalloc V[4];

        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]])
        {
            var xs = new Lanes4(x0, x1, x2, x3);
            var ts = new Lanes4(t0, t1, t2, t3);
            V Gf = one, Gs = one, G = one;
            V h = V.Zero, hPrev = V.Zero, detIn = V.Zero, detOut = V.Zero, rIn = V.Zero, rOut = V.Zero;

            for (int j = 0; j < frame + delay; j++)
            {
                if (j < frame)
                {
                    V det = xs.Load(j);
                    if (TMode.Inverse) det = PreFilter.Step(det, ref detIn, ref detOut);
                    V e = OptoDetector.Step(det, ref h, ref hPrev, pole, kappa);
                    V lnLevel = GainComputer.LogLevel(e);
                    V lnRaw = OptoDetector.RawLogLevel(det);
                    V g = VectorMath.Exp(OptoDetector.LogGain(lnLevel, lnRaw, kT, s, w));

                    // Branches (held constant): knee, sloped line, expander (no θ dependence), flat.
                    V v = kT - lnLevel, o = -v, hw = half * w;
                    V inKnee = VS.LessThan(-hw, o) & VS.LessThan(o, hw);
                    V qk = hw - v;
                    V lc = VS.ConditionalSelect(inKnee, -s * qk * qk / (w + w), s * v);
                    V comp = VS.LessThan(lc, VS.Min(OptoDetector.Expander(lnRaw), V.Zero));
                    V knee = comp & inKnee, line = VS.AndNot(comp, inKnee);
                    // Partials of ℓc = f(S, o, w), docs/model.md §11.2(a).
                    V qw = qk * iw, omq = one - qw;
                    V fS = VS.ConditionalSelect(knee, -half * qk * qw, v & line);
                    V fo = VS.ConditionalSelect(knee, -s * qw, -s & line);
                    V foo = (-s * iw) & knee;
                    V foS = VS.ConditionalSelect(knee, -qw, -one & line);
                    V fw = (-half * s * qw * omq) & knee;
                    V fow = (-s * (half - qw) * iw) & knee;
                    V fSw = (-half * qw * omq) & knee;
                    V tq = one - two * qw;
                    V fww = (VS.Create(-0.25) * s * iw * tq * tq) & knee;
                    // Emphasis: o_κ = (h/e)·κ', o_κκ = −(h/e)²·κ'² + (h/e)·κ''.
                    V he = (h / e) & VS.GreaterThan(VS.Abs(e), floor);
                    V ok1 = he * kappa1;
                    V ok2 = Fma(he, kappa2, -ok1 * ok1);
                    // ℓ_i, ℓ_ij over (T, R, W, κ).
                    V lT = -vk * fo, lR = fS * cR, lW = fw * w1, lK = fo * ok1;
                    V lTT = vk * vk * foo, lTR = -vk * foS * cR, lTW = -vk * fow * w1, lTK = -vk * foo * ok1;
                    V lRR = fS * cRR, lRW = fSw * cR * w1, lRK = foS * cR * ok1;
                    V lWW = Fma(fww * w1, w1, fw * w2), lWK = fow * w1 * ok1;
                    V lKK = Fma(foo * ok1, ok1, fo * ok2);
                    g1[0] = g * lT; g1[1] = g * lR; g1[2] = g * lW; g1[3] = g * lK;
                    g2[0] = g * Fma(lT, lT, lTT); g2[1] = g * Fma(lT, lR, lTR); g2[2] = g * Fma(lT, lW, lTW); g2[3] = g * Fma(lT, lK, lTK);
                    g2[4] = g * Fma(lR, lR, lRR); g2[5] = g * Fma(lR, lW, lRW); g2[6] = g * Fma(lR, lK, lRK);
                    g2[7] = g * Fma(lW, lW, lWW); g2[8] = g * Fma(lW, lK, lWK);
                    g2[9] = g * Fma(lK, lK, lKK);

                    Stage(g, g1, g2, ref Gf, F1, F2, aA, aA1, aA2, aR, aR1, aR2, Dq);
                    Stage(g, g1, g2, ref Gs, S1, S2, bC, bC1, bC2, bS, bS1, bS2, Dq);

                    // Mix, docs/model.md §11.2(c).
                    G = OptoBallistics.Mix(Gf, Gs, phi);
                    for (int i = 0; i < N1 - 1; i++) M1[i] = Fma(omphi, F1[fastOf[i]], phi * S1[slowOf[i]]);
                    V dGs = Gs - Gf;
                    M1[N1 - 1] = phi1 * dGs;
                    for (int i = 0, q = 0, m = 0; i < N1 - 1; i++, q++)
                    {
                        for (int jj = i; jj < N1 - 1; jj++, q++, m++) M2[q] = Fma(omphi, F2[fastPair[m]], phi * S2[slowPair[m]]);
                        M2[q] = phi1 * (S1[slowOf[i]] - F1[fastOf[i]]);
                    }
                    M2[N2 - 1] = phi2 * dGs;
                }
                else if (j == frame)
                {
                    // Advanced gain padded with 1: constant, no derivatives.
                    G = one;
                    new Span<V>(M1, N1 + N2).Clear();
                }
                int n = j - delay;
                if (n < 0) continue;

                // Model signal z and its derivatives, pre-filtered (P∂z = ∂Pz), then the sums.
                V z0, rho, xn = V.Zero, w2i = V.Zero, q2 = V.Zero;
                if (TMode.Inverse)
                {
                    V ig = one / G;
                    V wv = ts.Load(n) * ig;
                    w2i = wv * ig;
                    q2 = two * ig;
                    z0 = wv;
                    rho = PreFilter.Step(xs.Load(n), ref rIn, ref rOut);
                }
                else
                {
                    xn = xs.Load(n);
                    z0 = G * xn;
                    rho = PreFilter.Step(ts.Load(n), ref rIn, ref rOut);
                }
                V y = scale * PreFilter.Step(z0, ref fin[0], ref fout[0]);
                for (int i = 0; i < N1; i++)
                {
                    V zi = TMode.Inverse ? -w2i * M1[i] : M1[i] * xn;
                    P1[i] = PreFilter.Step(zi, ref fin[1 + i], ref fout[1 + i]);
                }
                bool counted = n >= overlap;
                V r = y - rho;
                if (counted)
                {
                    acc[0] = Fma(r, r, acc[0]); acc[1] = Fma(r, y, acc[1]); acc[2] = Fma(y, y, acc[2]); acc[3] = Fma(rho, rho, acc[3]);
                    for (int i = 0; i < N1; i++)
                    {
                        acc[4 + i] = Fma(r, P1[i], acc[4 + i]);
                        acc[4 + N1 + i] = Fma(y, P1[i], acc[4 + N1 + i]);
                    }
                }
                V* cij = acc + 4 + 2 * N1, hij = cij + N2;
                for (int i = 0, q = 0; i < N1; i++)
                {
                    V Mi = TMode.Inverse ? q2 * M1[i] : V.Zero, Pi = P1[i];
                    for (int jj = i; jj < N1; jj++, q++)
                    {
                        V zij = TMode.Inverse ? w2i * Fma(Mi, M1[jj], -M2[q]) : M2[q] * xn;
                        V pij = PreFilter.Step(zij, ref fin[1 + N1 + q], ref fout[1 + N1 + q]);
                        if (counted)
                        {
                            cij[q] = Fma(Pi, P1[jj], cij[q]);
                            hij[q] = Fma(r, pij, hij[q]);
                        }
                    }
                }
            }

            for (int l = 0; l < OptoKernelPack.Lanes; l++)
            {
                var o = sums.Slice(l * DerivativeSums, DerivativeSums);
                for (int q = 0; q < DerivativeSums; q++) o[q] = acc[q][l];
            }
        }
    }
}
