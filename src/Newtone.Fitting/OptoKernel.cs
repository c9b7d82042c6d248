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

    /// <summary>Loss, gradient and Hessian sums in one pass (see <see cref="DerivativeSums"/>).</summary>
    /// <remarks>
    /// Straight-line code, one block per derivative: the static gain's (T, R, W, κ) derivatives, the fast stage over
    /// (T, R, W, κ, a, r) and the slow stage over (T, R, W, κ, c, s) (§11.2(b), in the stack block <c>F1/F2</c>, <c>S1/S2</c>
    /// with pairs row-major), the mix (§11.2(c)) formed where it is used, then z, the 55 pre-filters and the 112 sums.
    /// In forward mode the four pairs between (a, r) and (c, s) are identically zero and skipped.
    /// </remarks>
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
        V kappa = Lane(c, q => q.Emphasis), kappa1 = Lane(c, q => q.EmphasisD1);
        V kappa2 = Lane(c, q => q.EmphasisD2);
        V pole = Lane(c, q => q.Pole), scale = Lane(c, q => q.Core.Scale);
        V one = V.One, half = VS.Create(0.5), two = VS.Create(2.0), vk = VS.Create(k);
        V iw = one / w;                     // used in knee lanes only (w > 0 there)
        // The mix's weights; all 0 once the advanced gain is padded with 1 (no derivatives).
        V omphiE = one - phi, phiE = phi, phi1E = phi1, phi2E = phi2;
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);

        // Working memory: the two stages, pre-filter states of ∂_q z, ∂²_ij z, and the sums.
        const int NZ = 1 + Parameters + Pairs;
        const int total = 2 * (6 + 21) + NZ + DerivativeSums;
        V* mem = stackalloc V[total];
        new Span<V>(mem, total).Clear();
        V* F1 = mem, F2 = F1 + 6, S1 = F2 + 21, S2 = S1 + 6;
        V* fs = S2 + 21;                      // transposed pre-filter states of ∂_q z and ∂²_ij z (slot 0 unused)
        V* acc = fs + NZ;
        V* Mv = stackalloc V[2 * Parameters + 14];
        V* gd = Mv + 2 * Parameters;          // the static gain's 4 + 10 derivatives
        V* Pv = Mv + Parameters;

        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]])
        {
            var xs = new Lanes4(x0, x1, x2, x3);
            var ts = new Lanes4(t0, t1, t2, t3);
            V Gf = one, Gs = one, G = one;
            V h = V.Zero, hPrev = V.Zero, detIn = V.Zero, detOut = V.Zero, rIn = V.Zero, rOut = V.Zero, zIn = V.Zero, zOut = V.Zero;

            for (int j = 0; j < frame + delay; j++)
            {
                if (j < frame)
                {
                    V det = xs.Load(j);
                    if (TMode.Inverse) det = PreFilter.Step(det, ref detIn, ref detOut);
                    V e = OptoDetector.Step(det, ref h, ref hPrev, pole, kappa);
                    V lnLevel = GainComputer.LogLevel(e);
                    V lnRaw = OptoDetector.RawLogLevel(det);
                    V g = VectorMath.Exp(OptoDetector.LogGain(lnLevel, lnRaw, kT, s, w, out V v, out V inKnee, out V qk, out V lc));

                    // Branches (held constant): knee, sloped line, expander and flat (no θ dependence).
                    V comp = VS.LessThan(lc, VS.Min(OptoDetector.Expander(lnRaw), V.Zero));
                    V knee = comp & inKnee, line = VS.AndNot(comp, inKnee);
                    // Partials of ℓc = f(S, o, w), docs/model.md §11.2(a).
                    V qw = qk * iw, omq = one - qw, tq = one - two * qw;
                    V fS = VS.ConditionalSelect(knee, -half * qk * qw, v & line);
                    V fo = VS.ConditionalSelect(knee, -s * qw, -s & line);
                    V foo = (-s * iw) & knee;
                    V foS = VS.ConditionalSelect(knee, -qw, -one & line);
                    V fw = (-half * s * qw * omq) & knee;
                    V fow = (-s * (half - qw) * iw) & knee;
                    V fSw = (-half * qw * omq) & knee;
                    V fww = (VS.Create(-0.25) * s * iw * tq * tq) & knee;
                    // Emphasis: o_κ = (h/e)·κ', o_κκ = −(h/e)²·κ'² + (h/e)·κ'' (0 on the detector floor).
                    V he = (h / e) & VS.GreaterThan(VS.Abs(e), VS.Create(GainComputer.Floor));
                    V ok1 = he * kappa1;
                    V ok2 = Fma(he, kappa2, -ok1 * ok1);
                    // ℓ_i, ℓ_ij over (T, R, W, κ), then g_i = g·ℓ_i, g_ij = g·(ℓ_ij + ℓ_i·ℓ_j).
                    V lT = -vk * fo, lR = fS * cR, lW = fw * w1, lK = fo * ok1;
                    V gT = g * lT, gR = g * lR, gW = g * lW, gK = g * lK;
                    V gTT = g * Fma(lT, lT, vk * vk * foo), gTR = g * Fma(lT, lR, -vk * foS * cR);
                    V gTW = g * Fma(lT, lW, -vk * fow * w1), gTK = g * Fma(lT, lK, -vk * foo * ok1);
                    V gRR = g * Fma(lR, lR, fS * cRR), gRW = g * Fma(lR, lW, fSw * cR * w1), gRK = g * Fma(lR, lK, foS * cR * ok1);
                    V gWW = g * Fma(lW, lW, Fma(fww * w1, w1, fw * w2)), gWK = g * Fma(lW, lK, fow * w1 * ok1);
                    V gKK = g * Fma(lK, lK, Fma(foo * ok1, ok1, fo * ok2));
                    gd[0] = gT; gd[1] = gR; gd[2] = gW; gd[3] = gK;
                    gd[4] = gTT; gd[5] = gTR; gd[6] = gTW; gd[7] = gTK; gd[8] = gRR; gd[9] = gRW; gd[10] = gRK; gd[11] = gWW; gd[12] = gWK; gd[13] = gKK;
                    Stage(g, gd, ref Gf, F1, F2, aA, aA1, aA2, aR, aR1, aR2);
                    Stage(g, gd, ref Gs, S1, S2, bC, bC1, bC2, bS, bS1, bS2);
                    G = OptoBallistics.Mix(Gf, Gs, phi);
                }
                else if (j == frame)
                {
                    // Advanced gain padded with 1: constant, no derivatives.
                    G = one;
                    omphiE = phiE = phi1E = phi2E = V.Zero;
                }
                int n = j - delay;
                if (n < 0) continue;

                // The mix's first derivatives, docs/model.md §11.2(c).
                V M0 = Fma(omphiE, F1[0], phiE * S1[0]);
                V M1 = Fma(omphiE, F1[1], phiE * S1[1]);
                V M2 = Fma(omphiE, F1[2], phiE * S1[2]);
                V M3 = Fma(omphiE, F1[3], phiE * S1[3]);
                V M4 = omphiE * F1[4];
                V M5 = omphiE * F1[5];
                V M6 = phiE * S1[4];
                V M7 = phiE * S1[5];
                V M8 = phi1E * (Gs - Gf);
                Mv[0] = M0; Mv[1] = M1; Mv[2] = M2; Mv[3] = M3; Mv[4] = M4; Mv[5] = M5; Mv[6] = M6; Mv[7] = M7; Mv[8] = M8;

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
                V y = scale * PreFilter.Step(z0, ref zIn, ref zOut);
                V r = y - rho;
                bool counted = n >= overlap;
                V P0 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M0 : M0 * xn, ref fs[1]);
                V P1 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M1 : M1 * xn, ref fs[2]);
                V P2 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M2 : M2 * xn, ref fs[3]);
                V P3 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M3 : M3 * xn, ref fs[4]);
                V P4 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M4 : M4 * xn, ref fs[5]);
                V P5 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M5 : M5 * xn, ref fs[6]);
                V P6 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M6 : M6 * xn, ref fs[7]);
                V P7 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M7 : M7 * xn, ref fs[8]);
                V P8 = PreFilter.StepTransposed(TMode.Inverse ? -w2i * M8 : M8 * xn, ref fs[9]);
                if (counted)
                {
                    acc[0] = Fma(r, r, acc[0]); acc[1] = Fma(r, y, acc[1]); acc[2] = Fma(y, y, acc[2]); acc[3] = Fma(rho, rho, acc[3]);
                    acc[4] = Fma(r, P0, acc[4]); acc[13] = Fma(y, P0, acc[13]);
                    acc[5] = Fma(r, P1, acc[5]); acc[14] = Fma(y, P1, acc[14]);
                    acc[6] = Fma(r, P2, acc[6]); acc[15] = Fma(y, P2, acc[15]);
                    acc[7] = Fma(r, P3, acc[7]); acc[16] = Fma(y, P3, acc[16]);
                    acc[8] = Fma(r, P4, acc[8]); acc[17] = Fma(y, P4, acc[17]);
                    acc[9] = Fma(r, P5, acc[9]); acc[18] = Fma(y, P5, acc[18]);
                    acc[10] = Fma(r, P6, acc[10]); acc[19] = Fma(y, P6, acc[19]);
                    acc[11] = Fma(r, P7, acc[11]); acc[20] = Fma(y, P7, acc[20]);
                    acc[12] = Fma(r, P8, acc[12]); acc[21] = Fma(y, P8, acc[21]);
                }
                Pv[0] = P0; Pv[1] = P1; Pv[2] = P2; Pv[3] = P3; Pv[4] = P4; Pv[5] = P5; Pv[6] = P6; Pv[7] = P7; Pv[8] = P8;
                Mix mix = new(omphiE, phiE, phi1E, phi2E, Gs - Gf, xn, w2i, q2, r);
                if (counted) SecondDerivatives<TMode, Counted>(mix, Mv, Pv, F1, F2, S1, S2, fs, acc);
                else SecondDerivatives<TMode, Uncounted>(mix, Mv, Pv, F1, F2, S1, S2, fs, acc);
            }

            for (int l = 0; l < OptoKernelPack.Lanes; l++)
            {
                var o = sums.Slice(l * DerivativeSums, DerivativeSums);
                for (int q = 0; q < DerivativeSums; q++) o[q] = acc[q][l];
            }
        }
    }

    /// <summary>
    /// One stage of docs/model.md §11.2(b) — §3(b) over six parameters, four static (T, R, W, κ, whose g derivatives are
    /// <paramref name="gd"/>: 4 first, then 10 second, row-major) and two coefficients (attack/release or charge/slow
    /// release): second derivatives first (they use the previous first derivatives), then the first, then the value.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Stage(V g, V* gd, ref V G, V* X1, V* X2, V cA, V cA1, V cA2, V cB, V cB1, V cB2)
    {
        // G_ij += α_ij·Δ + α_i·Δ_j + α_j·Δ_i + α·(g_ij − G_ij) with α_i = 0 for the static four (§3(b)).
        V a = Ballistics.Select(G, g, cA, cB, out V att);
        V A1 = cA1 & att, B1 = VS.AndNot(cB1, att), A2 = cA2 & att, B2 = VS.AndNot(cB2, att);
        V D = g - G;
        V D0 = gd[0] - X1[0], D1 = gd[1] - X1[1], D2 = gd[2] - X1[2], D3 = gd[3] - X1[3];
        V Ga = X1[4], Gb = X1[5];
        X2[0] = Fma(a, gd[4] - X2[0], X2[0]);
        X2[1] = Fma(a, gd[5] - X2[1], X2[1]);
        X2[2] = Fma(a, gd[6] - X2[2], X2[2]);
        X2[3] = Fma(a, gd[7] - X2[3], X2[3]);
        X2[6] = Fma(a, gd[8] - X2[6], X2[6]);
        X2[7] = Fma(a, gd[9] - X2[7], X2[7]);
        X2[8] = Fma(a, gd[10] - X2[8], X2[8]);
        X2[11] = Fma(a, gd[11] - X2[11], X2[11]);
        X2[12] = Fma(a, gd[12] - X2[12], X2[12]);
        X2[15] = Fma(a, gd[13] - X2[15], X2[15]);
        X2[4] = Fma(A1, D0, Fma(-a, X2[4], X2[4])); X2[5] = Fma(B1, D0, Fma(-a, X2[5], X2[5]));
        X2[9] = Fma(A1, D1, Fma(-a, X2[9], X2[9])); X2[10] = Fma(B1, D1, Fma(-a, X2[10], X2[10]));
        X2[13] = Fma(A1, D2, Fma(-a, X2[13], X2[13])); X2[14] = Fma(B1, D2, Fma(-a, X2[14], X2[14]));
        X2[16] = Fma(A1, D3, Fma(-a, X2[16], X2[16])); X2[17] = Fma(B1, D3, Fma(-a, X2[17], X2[17]));
        X2[18] = Fma(A2, D, Fma(-(A1 + A1), Ga, Fma(-a, X2[18], X2[18])));
        X2[19] = Fma(-A1, Gb, Fma(-B1, Ga, Fma(-a, X2[19], X2[19])));
        X2[20] = Fma(B2, D, Fma(-(B1 + B1), Gb, Fma(-a, X2[20], X2[20])));
        X1[0] = Fma(a, D0, X1[0]);
        X1[1] = Fma(a, D1, X1[1]);
        X1[2] = Fma(a, D2, X1[2]);
        X1[3] = Fma(a, D3, X1[3]);
        X1[4] = Fma(A1, D, Fma(-a, Ga, Ga));
        X1[5] = Fma(B1, D, Fma(-a, Gb, Gb));
        G = Fma(a, D, G);
    }

    /// <summary>What the second-derivative blocks need of one sample besides the arrays: the mix's weights, Gs − Gf, x (forward), t/G² and 2/G (inverse), r.</summary>
    private readonly struct Mix(V omphi, V phi, V phi1, V phi2, V dGs, V x, V w2i, V q2, V r)
    {
        public readonly V Omphi = omphi, Phi = phi, Phi1 = phi1, Phi2 = phi2, DGs = dGs, X = x, W2i = w2i, Q2 = q2, R = r;
    }


    /// <summary>
    /// The 45 second derivatives of one sample, pair by pair: G_ij from the stages and the mix (docs/model.md §11.2(c)),
    /// z_ij = G_ij·x (forward) or (t/G²)·(2·G_i·G_j/G − G_ij) (inverse), its pre-filter, and (counted samples) the sums
    /// ΣP∂_i z·P∂_j z and Σr·P∂²_ij z. A method of its own: the JIT optimises it apart from the rest of the sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SecondDerivatives<TMode, TCount>(in Mix mx, V* Mv, V* Pv, V* F1, V* F2, V* S1, V* S2, V* fs, V* acc)
        where TMode : struct, IObjectiveMode where TCount : struct, ICount
    {
        V omphiE = mx.Omphi, phiE = mx.Phi, phi1E = mx.Phi1, phi2E = mx.Phi2, xn = mx.X, w2i = mx.W2i, r = mx.R;
        V Gs_Gf = mx.DGs;
        V M0 = Mv[0], M1 = Mv[1], M2 = Mv[2], M3 = Mv[3], M4 = Mv[4], M5 = Mv[5], M6 = Mv[6], M7 = Mv[7], M8 = Mv[8];
        V Q0 = V.Zero, Q1 = V.Zero, Q2 = V.Zero, Q3 = V.Zero, Q4 = V.Zero, Q5 = V.Zero, Q6 = V.Zero, Q7 = V.Zero, Q8 = V.Zero;
        if (TMode.Inverse)
        {
            V q2 = mx.Q2;
            Q0 = q2 * M0; Q1 = q2 * M1; Q2 = q2 * M2; Q3 = q2 * M3; Q4 = q2 * M4; Q5 = q2 * M5; Q6 = q2 * M6; Q7 = q2 * M7; Q8 = q2 * M8;
        }
        V P0 = Pv[0], P1 = Pv[1], P2 = Pv[2], P3 = Pv[3], P4 = Pv[4], P5 = Pv[5], P6 = Pv[6], P7 = Pv[7], P8 = Pv[8];
        {   // TT
            V m = Fma(omphiE, F2[0], phiE * S2[0]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M0, -m) : m * xn, ref fs[10]);
            if (TCount.On) { acc[22] = Fma(P0, P0, acc[22]); acc[67] = Fma(r, pq, acc[67]); }
        }
        {   // TR
            V m = Fma(omphiE, F2[1], phiE * S2[1]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M1, -m) : m * xn, ref fs[11]);
            if (TCount.On) { acc[23] = Fma(P0, P1, acc[23]); acc[68] = Fma(r, pq, acc[68]); }
        }
        {   // TW
            V m = Fma(omphiE, F2[2], phiE * S2[2]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M2, -m) : m * xn, ref fs[12]);
            if (TCount.On) { acc[24] = Fma(P0, P2, acc[24]); acc[69] = Fma(r, pq, acc[69]); }
        }
        {   // TK
            V m = Fma(omphiE, F2[3], phiE * S2[3]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M3, -m) : m * xn, ref fs[13]);
            if (TCount.On) { acc[25] = Fma(P0, P3, acc[25]); acc[70] = Fma(r, pq, acc[70]); }
        }
        {   // Ta
            V m = omphiE * F2[4];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M4, -m) : m * xn, ref fs[14]);
            if (TCount.On) { acc[26] = Fma(P0, P4, acc[26]); acc[71] = Fma(r, pq, acc[71]); }
        }
        {   // Tr
            V m = omphiE * F2[5];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M5, -m) : m * xn, ref fs[15]);
            if (TCount.On) { acc[27] = Fma(P0, P5, acc[27]); acc[72] = Fma(r, pq, acc[72]); }
        }
        {   // Tc
            V m = phiE * S2[4];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M6, -m) : m * xn, ref fs[16]);
            if (TCount.On) { acc[28] = Fma(P0, P6, acc[28]); acc[73] = Fma(r, pq, acc[73]); }
        }
        {   // Ts
            V m = phiE * S2[5];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M7, -m) : m * xn, ref fs[17]);
            if (TCount.On) { acc[29] = Fma(P0, P7, acc[29]); acc[74] = Fma(r, pq, acc[74]); }
        }
        {   // Tf
            V m = phi1E * (S1[0] - F1[0]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q0, M8, -m) : m * xn, ref fs[18]);
            if (TCount.On) { acc[30] = Fma(P0, P8, acc[30]); acc[75] = Fma(r, pq, acc[75]); }
        }
        {   // RR
            V m = Fma(omphiE, F2[6], phiE * S2[6]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M1, -m) : m * xn, ref fs[19]);
            if (TCount.On) { acc[31] = Fma(P1, P1, acc[31]); acc[76] = Fma(r, pq, acc[76]); }
        }
        {   // RW
            V m = Fma(omphiE, F2[7], phiE * S2[7]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M2, -m) : m * xn, ref fs[20]);
            if (TCount.On) { acc[32] = Fma(P1, P2, acc[32]); acc[77] = Fma(r, pq, acc[77]); }
        }
        {   // RK
            V m = Fma(omphiE, F2[8], phiE * S2[8]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M3, -m) : m * xn, ref fs[21]);
            if (TCount.On) { acc[33] = Fma(P1, P3, acc[33]); acc[78] = Fma(r, pq, acc[78]); }
        }
        {   // Ra
            V m = omphiE * F2[9];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M4, -m) : m * xn, ref fs[22]);
            if (TCount.On) { acc[34] = Fma(P1, P4, acc[34]); acc[79] = Fma(r, pq, acc[79]); }
        }
        {   // Rr
            V m = omphiE * F2[10];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M5, -m) : m * xn, ref fs[23]);
            if (TCount.On) { acc[35] = Fma(P1, P5, acc[35]); acc[80] = Fma(r, pq, acc[80]); }
        }
        {   // Rc
            V m = phiE * S2[9];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M6, -m) : m * xn, ref fs[24]);
            if (TCount.On) { acc[36] = Fma(P1, P6, acc[36]); acc[81] = Fma(r, pq, acc[81]); }
        }
        {   // Rs
            V m = phiE * S2[10];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M7, -m) : m * xn, ref fs[25]);
            if (TCount.On) { acc[37] = Fma(P1, P7, acc[37]); acc[82] = Fma(r, pq, acc[82]); }
        }
        {   // Rf
            V m = phi1E * (S1[1] - F1[1]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q1, M8, -m) : m * xn, ref fs[26]);
            if (TCount.On) { acc[38] = Fma(P1, P8, acc[38]); acc[83] = Fma(r, pq, acc[83]); }
        }
        {   // WW
            V m = Fma(omphiE, F2[11], phiE * S2[11]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M2, -m) : m * xn, ref fs[27]);
            if (TCount.On) { acc[39] = Fma(P2, P2, acc[39]); acc[84] = Fma(r, pq, acc[84]); }
        }
        {   // WK
            V m = Fma(omphiE, F2[12], phiE * S2[12]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M3, -m) : m * xn, ref fs[28]);
            if (TCount.On) { acc[40] = Fma(P2, P3, acc[40]); acc[85] = Fma(r, pq, acc[85]); }
        }
        {   // Wa
            V m = omphiE * F2[13];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M4, -m) : m * xn, ref fs[29]);
            if (TCount.On) { acc[41] = Fma(P2, P4, acc[41]); acc[86] = Fma(r, pq, acc[86]); }
        }
        {   // Wr
            V m = omphiE * F2[14];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M5, -m) : m * xn, ref fs[30]);
            if (TCount.On) { acc[42] = Fma(P2, P5, acc[42]); acc[87] = Fma(r, pq, acc[87]); }
        }
        {   // Wc
            V m = phiE * S2[13];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M6, -m) : m * xn, ref fs[31]);
            if (TCount.On) { acc[43] = Fma(P2, P6, acc[43]); acc[88] = Fma(r, pq, acc[88]); }
        }
        {   // Ws
            V m = phiE * S2[14];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M7, -m) : m * xn, ref fs[32]);
            if (TCount.On) { acc[44] = Fma(P2, P7, acc[44]); acc[89] = Fma(r, pq, acc[89]); }
        }
        {   // Wf
            V m = phi1E * (S1[2] - F1[2]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q2, M8, -m) : m * xn, ref fs[33]);
            if (TCount.On) { acc[45] = Fma(P2, P8, acc[45]); acc[90] = Fma(r, pq, acc[90]); }
        }
        {   // KK
            V m = Fma(omphiE, F2[15], phiE * S2[15]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M3, -m) : m * xn, ref fs[34]);
            if (TCount.On) { acc[46] = Fma(P3, P3, acc[46]); acc[91] = Fma(r, pq, acc[91]); }
        }
        {   // Ka
            V m = omphiE * F2[16];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M4, -m) : m * xn, ref fs[35]);
            if (TCount.On) { acc[47] = Fma(P3, P4, acc[47]); acc[92] = Fma(r, pq, acc[92]); }
        }
        {   // Kr
            V m = omphiE * F2[17];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M5, -m) : m * xn, ref fs[36]);
            if (TCount.On) { acc[48] = Fma(P3, P5, acc[48]); acc[93] = Fma(r, pq, acc[93]); }
        }
        {   // Kc
            V m = phiE * S2[16];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M6, -m) : m * xn, ref fs[37]);
            if (TCount.On) { acc[49] = Fma(P3, P6, acc[49]); acc[94] = Fma(r, pq, acc[94]); }
        }
        {   // Ks
            V m = phiE * S2[17];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M7, -m) : m * xn, ref fs[38]);
            if (TCount.On) { acc[50] = Fma(P3, P7, acc[50]); acc[95] = Fma(r, pq, acc[95]); }
        }
        {   // Kf
            V m = phi1E * (S1[3] - F1[3]);
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q3, M8, -m) : m * xn, ref fs[39]);
            if (TCount.On) { acc[51] = Fma(P3, P8, acc[51]); acc[96] = Fma(r, pq, acc[96]); }
        }
        {   // aa
            V m = omphiE * F2[18];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q4, M4, -m) : m * xn, ref fs[40]);
            if (TCount.On) { acc[52] = Fma(P4, P4, acc[52]); acc[97] = Fma(r, pq, acc[97]); }
        }
        {   // ar
            V m = omphiE * F2[19];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q4, M5, -m) : m * xn, ref fs[41]);
            if (TCount.On) { acc[53] = Fma(P4, P5, acc[53]); acc[98] = Fma(r, pq, acc[98]); }
        }
        if (TMode.Inverse)
                {   // ac: G_ij = 0
            V pq = PreFilter.StepTransposed(w2i * Q4 * M6, ref fs[42]);
            if (TCount.On) { acc[54] = Fma(P4, P6, acc[54]); acc[99] = Fma(r, pq, acc[99]); }
        }
        else if (TCount.On) acc[54] = Fma(P4, P6, acc[54]);
        if (TMode.Inverse)
                {   // as: G_ij = 0
            V pq = PreFilter.StepTransposed(w2i * Q4 * M7, ref fs[43]);
            if (TCount.On) { acc[55] = Fma(P4, P7, acc[55]); acc[100] = Fma(r, pq, acc[100]); }
        }
        else if (TCount.On) acc[55] = Fma(P4, P7, acc[55]);
        {   // af
            V m = -phi1E * F1[4];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q4, M8, -m) : m * xn, ref fs[44]);
            if (TCount.On) { acc[56] = Fma(P4, P8, acc[56]); acc[101] = Fma(r, pq, acc[101]); }
        }
        {   // rr
            V m = omphiE * F2[20];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q5, M5, -m) : m * xn, ref fs[45]);
            if (TCount.On) { acc[57] = Fma(P5, P5, acc[57]); acc[102] = Fma(r, pq, acc[102]); }
        }
        if (TMode.Inverse)
                {   // rc: G_ij = 0
            V pq = PreFilter.StepTransposed(w2i * Q5 * M6, ref fs[46]);
            if (TCount.On) { acc[58] = Fma(P5, P6, acc[58]); acc[103] = Fma(r, pq, acc[103]); }
        }
        else if (TCount.On) acc[58] = Fma(P5, P6, acc[58]);
        if (TMode.Inverse)
                {   // rs: G_ij = 0
            V pq = PreFilter.StepTransposed(w2i * Q5 * M7, ref fs[47]);
            if (TCount.On) { acc[59] = Fma(P5, P7, acc[59]); acc[104] = Fma(r, pq, acc[104]); }
        }
        else if (TCount.On) acc[59] = Fma(P5, P7, acc[59]);
        {   // rf
            V m = -phi1E * F1[5];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q5, M8, -m) : m * xn, ref fs[48]);
            if (TCount.On) { acc[60] = Fma(P5, P8, acc[60]); acc[105] = Fma(r, pq, acc[105]); }
        }
        {   // cc
            V m = phiE * S2[18];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q6, M6, -m) : m * xn, ref fs[49]);
            if (TCount.On) { acc[61] = Fma(P6, P6, acc[61]); acc[106] = Fma(r, pq, acc[106]); }
        }
        {   // cs
            V m = phiE * S2[19];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q6, M7, -m) : m * xn, ref fs[50]);
            if (TCount.On) { acc[62] = Fma(P6, P7, acc[62]); acc[107] = Fma(r, pq, acc[107]); }
        }
        {   // cf
            V m = phi1E * S1[4];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q6, M8, -m) : m * xn, ref fs[51]);
            if (TCount.On) { acc[63] = Fma(P6, P8, acc[63]); acc[108] = Fma(r, pq, acc[108]); }
        }
        {   // ss
            V m = phiE * S2[20];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q7, M7, -m) : m * xn, ref fs[52]);
            if (TCount.On) { acc[64] = Fma(P7, P7, acc[64]); acc[109] = Fma(r, pq, acc[109]); }
        }
        {   // sf
            V m = phi1E * S1[5];
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q7, M8, -m) : m * xn, ref fs[53]);
            if (TCount.On) { acc[65] = Fma(P7, P8, acc[65]); acc[110] = Fma(r, pq, acc[110]); }
        }
        {   // ff
            V m = phi2E * Gs_Gf;
            V pq = PreFilter.StepTransposed(TMode.Inverse ? w2i * Fma(Q8, M8, -m) : m * xn, ref fs[54]);
            if (TCount.On) { acc[66] = Fma(P8, P8, acc[66]); acc[111] = Fma(r, pq, acc[111]); }
        }
    }
}
