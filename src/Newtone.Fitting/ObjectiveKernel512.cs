using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<double>;
using VS = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Fitting;

/// <summary>
/// The objective's inner loops on eight lanes of <see cref="Vector512{T}"/> (one frame per lane), for processors
/// with 512-bit vectors: the same equations, statements and order of operations as <see cref="ObjectiveKernel"/>
/// (docs/model.md §2–§3), so each lane's sums agree with the four-lane kernel's bit for bit.
/// </summary>
internal static class ObjectiveKernel512
{
    /// <summary>Lanes per pack.</summary>
    public const int Lanes = 8;

    /// <summary>Whether this processor runs 512-bit vectors natively.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>Eight lanes' frame pointers (arrays pinned for the duration of a kernel call).</summary>
    private unsafe readonly struct Lanes8(float* a, float* b, float* c, float* d, float* e, float* f, float* g, float* h)
    {
        private readonly float* _a = a, _b = b, _c = c, _d = d, _e = e, _f = f, _g = g, _h = h;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Load(int j) =>
            // Build the eight floats first, then widen once (no false dependency across samples).
            VS.WidenLower(Vector256.Create(_a[j], _b[j], _c[j], _d[j], _e[j], _f[j], _g[j], _h[j]).ToVector512Unsafe());

        /// <summary>
        /// <c>dst[i] = Load(from + i)</c> for <c>i &lt; count</c>: eight samples at a time by one 8×8 transpose of eight
        /// consecutive floats per lane (unpack, shuffle, 128-bit permute) instead of 64 scalar loads and inserts.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Widen(int from, int count, V* dst)
        {
            int i = 0;
            if (Avx512F.IsSupported)
            {
                for (; i + Lanes <= count; i += Lanes)
                {
                    int j = from + i;
                    var r0 = Avx.LoadVector256(_a + j); var r1 = Avx.LoadVector256(_b + j);
                    var r2 = Avx.LoadVector256(_c + j); var r3 = Avx.LoadVector256(_d + j);
                    var r4 = Avx.LoadVector256(_e + j); var r5 = Avx.LoadVector256(_f + j);
                    var r6 = Avx.LoadVector256(_g + j); var r7 = Avx.LoadVector256(_h + j);
                    var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);   // a0 b0 a1 b1 | a4 b4 a5 b5;  a2 b2 a3 b3 | …
                    var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
                    var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
                    var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
                    var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);   // a0 b0 c0 d0 | a4 b4 c4 d4;  a1 … | a5 …
                    var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
                    var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
                    var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
                    dst[i] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s0, s4, 0x20));
                    dst[i + 1] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s1, s5, 0x20));
                    dst[i + 2] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s2, s6, 0x20));
                    dst[i + 3] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s3, s7, 0x20));
                    dst[i + 4] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s0, s4, 0x31));
                    dst[i + 5] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s1, s5, 0x31));
                    dst[i + 6] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s2, s6, 0x31));
                    dst[i + 7] = Avx512F.ConvertToVector512Double(Avx.Permute2x128(s3, s7, 0x31));
                }
            }
            for (; i < count; i++) dst[i] = Load(from + i);
        }
    }

    /// <summary>Samples per block: the inputs of a block are gathered (and the detector's logarithm taken) before its recursion runs.</summary>
    private const int Block = 32;

    /// <summary>
    /// Everything of one block that does not depend on θ's recursion, for block steps <c>j = j0 + k</c>, <c>k &lt; count</c>
    /// (docs/model.md §2, §3 (a), (d)): <c>lx[k] = ln max(|d[j]|, 1e-8)</c> for <c>j &lt; F</c> (d = x forward, P[x] inverse)
    /// and the expander cap <c>cap[k] = min(0, Se·(k·ET − lx[k]))</c>,
    /// and for the output sample <c>n = j − delay ≥ 0</c> the factor of the model signal <c>u[k]</c> (x[n] forward, t[n]
    /// inverse) and the reference <c>rho[k]</c> = P[t][n] forward, P[x][n] inverse. <paramref name="state"/> holds the
    /// detector's and the reference's pre-filter states (previous input, previous output) across blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Stage<TMode>(in Lanes8 xs, in Lanes8 ts, int j0, int count, int frame, int delay, V* lx, V* cap, V* u, V* rho, V* state)
        where TMode : struct, IObjectiveMode
    {
        if (delay == 0)
        {
            // No look-ahead: the detector's samples are those of the model factor (forward: x) or of the reference
            // (inverse: P[x], the same filter from the same state), so they are gathered and filtered once.
            (TMode.Inverse ? ts : xs).Widen(j0, count, u);
            (TMode.Inverse ? xs : ts).Widen(j0, count, rho);
            V fIn = state[2], fOut = state[3];
            for (int k = 0; k < count; k++)
            {
                V r = PreFilter.Step(rho[k], ref fIn, ref fOut);
                rho[k] = r;
                V l = GainComputer.LogLevelShortChain(TMode.Inverse ? r : u[k]);
                lx[k] = l;
                cap[k] = GainComputer.ExpanderCap(l);
            }
            state[2] = fIn; state[3] = fOut;
            return;
        }
        int detectors = Math.Min(count, frame - j0);
        if (detectors > 0)
        {
            xs.Widen(j0, detectors, lx);
            V dIn = state[0], dOut = state[1];
            for (int k = 0; k < detectors; k++)
            {
                V d = lx[k];
                if (TMode.Inverse) d = PreFilter.Step(d, ref dIn, ref dOut);
                V l = GainComputer.LogLevelShortChain(d);
                lx[k] = l;
                cap[k] = GainComputer.ExpanderCap(l);
            }
            state[0] = dIn; state[1] = dOut;
        }
        int first = Math.Max(0, delay - j0);
        if (first < count)
        {
            int n0 = j0 + first - delay;
            (TMode.Inverse ? ts : xs).Widen(n0, count - first, u + first);
            (TMode.Inverse ? xs : ts).Widen(n0, count - first, rho + first);
            V rIn = state[2], rOut = state[3];
            for (int k = first; k < count; k++) rho[k] = PreFilter.Step(rho[k], ref rIn, ref rOut);
            state[2] = rIn; state[3] = rOut;
        }
    }

    /// <summary>Bytes of stack scratch for buffers of <paramref name="vectors"/> vectors in all, <paramref name="buffers"/> of them (see <see cref="Carve"/>).</summary>
    private static unsafe int ScratchBytes(int vectors, int buffers) => vectors * sizeof(V) + buffers * Gap + 64;

    /// <summary>Cache lines left free after each scratch buffer.</summary>
    private const int Gap = 5 * 64;

    /// <summary>
    /// The next buffer of <paramref name="vectors"/> vectors from stack scratch, at a 64-byte boundary (vectors that straddle
    /// cache lines load and store at half speed, and a stack allocation's alignment depends on the callers' frames) and
    /// followed by a gap of a few cache lines, so that equal indices of two buffers do not lie a multiple of 4 KiB apart
    /// (a load would wait for an unrelated store to the same address bits: 4K aliasing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe V* Carve(ref byte* at, int vectors)
    {
        var p = (V*)(((nint)at + 63) & ~(nint)63);
        at = (byte*)(p + vectors) + Gap;
        return p;
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
    private static V Lane(LaneConstants[] c, Func<LaneConstants, double> f) => VS.Create(f(c[0]), f(c[1]), f(c[2]), f(c[3]), f(c[4]), f(c[5]), f(c[6]), f(c[7]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma(V a, V b, V c) => VS.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// Loss-only pass: per lane Σr², Σy², Σry, Σρ² (see <see cref="ObjectiveKernel.LossSums"/>), block by block:
    /// <see cref="Stage{TMode}"/> gathers the inputs, <see cref="LossBlock{TMode, TIn}"/> runs the recursion with its state in
    /// registers (a loop around a call would keep it in memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Loss<TMode>(in KernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        byte* scratch = stackalloc byte[ScratchBytes(5 + 4 * Block + 10, 6)];
        V* k = Carve(ref scratch, 5);
        k[0] = Lane(c, q => q.KT); k[1] = Lane(c, q => q.S); k[2] = Lane(c, q => q.Attack); k[3] = Lane(c, q => q.Release);
        k[4] = Lane(c, q => q.Scale);
        V* lx = Carve(ref scratch, Block), cb = Carve(ref scratch, Block), ub = Carve(ref scratch, Block), rb = Carve(ref scratch, Block);
        // Detector and reference pre-filters (4); G, the model pre-filter and the four sums (6).
        V* state = Carve(ref scratch, 10);
        for (int i = 0; i < 10; i++) state[i] = V.Zero;
        state[4] = V.One;   // ĝ = 1
        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]],
            x4 = &p.Input[4][p.Start[4]], x5 = &p.Input[5][p.Start[5]], x6 = &p.Input[6][p.Start[6]], x7 = &p.Input[7][p.Start[7]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]],
            t4 = &p.Target[4][p.Start[4]], t5 = &p.Target[5][p.Start[5]], t6 = &p.Target[6][p.Start[6]], t7 = &p.Target[7][p.Start[7]])
        {
            var xs = new Lanes8(x0, x1, x2, x3, x4, x5, x6, x7);
            var ts = new Lanes8(t0, t1, t2, t3, t4, t5, t6, t7);
            int total = frame + delay;
            for (int j0 = 0; j0 < total; j0 += Block)
            {
                int count = Math.Min(Block, total - j0);
                Stage<TMode>(xs, ts, j0, count, frame, delay, lx, cb, ub, rb, state);
                LossBlock<TMode, Vectors>(j0, count, frame, delay, overlap, lx, cb, ub, rb, state + 4, k);
            }
        }
        for (int l = 0; l < Lanes; l++)
        {
            var o = sums.Slice(l * ObjectiveKernel.LossSums, ObjectiveKernel.LossSums);
            o[0] = state[6][l]; o[1] = state[7][l]; o[2] = state[8][l]; o[3] = state[9][l];
        }
    }

    /// <summary>How <see cref="LossBlock{TMode, TIn}"/> reads its staged inputs.</summary>
    private unsafe interface IBlockInput
    {
        static abstract V At(V* buffer, int i);
    }

    /// <summary>One vector per sample, a value per lane (<see cref="Stage{TMode}"/>).</summary>
    private unsafe struct Vectors : IBlockInput
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V At(V* buffer, int i) => buffer[i];
    }

    /// <summary>One double per sample, the same in every lane (<see cref="SharedStage{TMode}"/>), broadcast on load.</summary>
    private unsafe struct Scalars : IBlockInput
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V At(V* buffer, int i) => VS.Create(((double*)buffer)[i]);
    }

    /// <summary>
    /// The loss recursion over block steps <c>j = j0 + k</c> (docs/model.md §1, §2): ĝ from the staged detector log, the
    /// model signal z = ĝ·x (forward) or t/ĝ (inverse), y = Scale·P[z] and, for counted samples, Σr², Σy², Σry, Σρ².
    /// <paramref name="st"/>: ĝ, the model pre-filter state, the four sums; <paramref name="k"/>: kT, S, αa, αr, Scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void LossBlock<TMode, TIn>(int j0, int count, int frame, int delay, int overlap, V* lx, V* cb, V* ub, V* rb, V* st, V* k)
        where TMode : struct, IObjectiveMode where TIn : struct, IBlockInput
    {
        V kT = k[0], s = k[1], aA = k[2], aR = k[3], scale = k[4];
        V G = st[0], zf = st[1], srr = st[2], syy = st[3], sry = st[4], spp = st[5];
        for (int i = 0; i < count; i++)
        {
            int j = j0 + i;
            if (j < frame)
            {
                // Gain computer and smoothing, docs/model.md §1.
                V g = VectorMath.ExpShortChain(GainComputer.LogGainCapped(TIn.At(lx, i), TIn.At(cb, i), kT, s));
                G = Ballistics.Step(G, g, aA, aR);
            }
            else
            {
                G = V.One;   // advanced gain padded with 1
            }
            int n = j - delay;
            if (n < 0) continue;

            // z = G·x (forward) or t/G (inverse); y = Scale·P[z] (transposed form), docs/model.md §2.
            V u = TIn.At(ub, i);
            V z = TMode.Inverse ? u / G : G * u;
            V y = scale * PreFilter.StepTransposed(z, ref zf);
            if (n < overlap) continue;
            V rho = TIn.At(rb, i);
            V r = y - rho;
            srr = Fma(r, r, srr);
            syy = Fma(y, y, syy);
            sry = Fma(r, y, sry);
            spp = Fma(rho, rho, spp);
        }
        st[0] = G; st[1] = zf; st[2] = srr; st[3] = syy; st[4] = sry; st[5] = spp;
    }

    /// <summary>
    /// Loss-only pass of eight θ on one frame (every lane's frame is lane 0's): the lanes share the detector, so its
    /// logarithm is taken once for eight consecutive samples instead of once per lane and sample, and the samples are
    /// broadcast instead of gathered (<see cref="SharedStage{TMode}"/>); the recursion is <see cref="LossBlock{TMode, TIn}"/>'s.
    /// The operations on each lane and their order are those of <see cref="Loss{TMode}"/>, so the sums are the same to the
    /// last bit. Used to score many θ at once (the global stage's candidates).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void LossOneFrame<TMode>(in KernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        for (int l = 1; l < Lanes; l++)
        {
            if (p.Input[l] != p.Input[0] || p.Target[l] != p.Target[0] || p.Start[l] != p.Start[0])
                throw new ArgumentException("every lane must run the same frame", nameof(p));
        }
        byte* scratch = stackalloc byte[ScratchBytes(5 + 4 * Block + 10, 6)];
        V* k = Carve(ref scratch, 5);
        k[0] = Lane(c, q => q.KT); k[1] = Lane(c, q => q.S); k[2] = Lane(c, q => q.Attack); k[3] = Lane(c, q => q.Release);
        k[4] = Lane(c, q => q.Scale);
        V* lx = Carve(ref scratch, Block), cb = Carve(ref scratch, Block), ub = Carve(ref scratch, Block), rb = Carve(ref scratch, Block);
        // Detector and reference pre-filters (4, in the first lane of each); G, the model pre-filter and the four sums (6).
        V* state = Carve(ref scratch, 10);
        for (int i = 0; i < 10; i++) state[i] = V.Zero;
        state[4] = V.One;   // ĝ = 1
        fixed (float* x = &p.Input[0][p.Start[0]], t = &p.Target[0][p.Start[0]])
        {
            int total = frame + delay;
            for (int j0 = 0; j0 < total; j0 += Block)
            {
                int count = Math.Min(Block, total - j0);
                SharedStage<TMode>(x, t, j0, count, frame, delay, lx, cb, ub, rb, (double*)state);
                LossBlock<TMode, Scalars>(j0, count, frame, delay, overlap, lx, cb, ub, rb, state + 4, k);
            }
        }
        for (int l = 0; l < Lanes; l++)
        {
            var o = sums.Slice(l * ObjectiveKernel.LossSums, ObjectiveKernel.LossSums);
            o[0] = state[6][l]; o[1] = state[7][l]; o[2] = state[8][l]; o[3] = state[9][l];
        }
    }

    /// <summary>
    /// <see cref="Stage{TMode}"/> for one frame shared by all lanes: the same numbers, each computed once and stored as a
    /// scalar (<see cref="Scalars"/>: broadcast as the recursion loads it).
    /// The detector's logarithm and cap are taken eight samples to a vector. <paramref name="state"/>: detector pre-filter
    /// (previous input, output), then the reference's, as scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SharedStage<TMode>(float* x, float* t, int j0, int count, int frame, int delay, V* lx, V* cap, V* u, V* rho,
        double* state) where TMode : struct, IObjectiveMode
    {
        double* d8 = stackalloc double[Lanes];
        double* c8 = stackalloc double[Lanes];
        int detectors = Math.Min(count, frame - j0);
        double dIn = state[0], dOut = state[1];
        for (int k0 = 0; k0 < detectors; k0 += Lanes)
        {
            int m = Math.Min(Lanes, detectors - k0);
            for (int k = 0; k < Lanes; k++)
            {
                double d = k < m ? x[j0 + k0 + k] : 1;
                if (TMode.Inverse && k < m)
                {
                    // PreFilter.Step's vector form lane by lane: fused, so the same number as in Loss.
                    double f = Math.FusedMultiplyAdd(PreFilter.Pole, dOut, d - dIn);
                    dIn = d;
                    dOut = f;
                    d = f;
                }
                d8[k] = d;
            }
            V l8 = GainComputer.LogLevelShortChain(VS.Load(d8));
            l8.Store(d8);
            GainComputer.ExpanderCap(l8).Store(c8);
            for (int k = 0; k < m; k++)
            {
                ((double*)lx)[k0 + k] = d8[k];
                ((double*)cap)[k0 + k] = c8[k];
            }
        }
        state[0] = dIn; state[1] = dOut;
        double rIn = state[2], rOut = state[3];
        for (int k = Math.Max(0, delay - j0); k < count; k++)
        {
            int n = j0 + k - delay;
            double r = TMode.Inverse ? x[n] : t[n];
            double f = Math.FusedMultiplyAdd(PreFilter.Pole, rOut, r - rIn);
            rIn = r;
            rOut = f;
            ((double*)rho)[k] = f;
            ((double*)u)[k] = TMode.Inverse ? t[n] : x[n];
        }
        state[2] = rIn; state[3] = rOut;
    }

    /// <summary>Derivative signals per sample: z and its 4 first and 10 second derivatives (docs/model.md §3 (d)).</summary>
    private const int Signals = 15;

    /// <summary>Samples per block of the derivative kernel: its buffer of <see cref="Signals"/> vectors per sample stays in L1.</summary>
    private const int DerivativeBlock = 32;

    /// <summary>
    /// Loss, gradient and Hessian sums (see <see cref="ObjectiveKernel.DerivativeSums"/>), block by block in passes
    /// whose loop-carried values each fit the 32 vector registers (one pass over all of them would keep some 60 vectors
    /// live and spill most of them every sample): <see cref="GainPass{TMode}"/> runs the smoothed gain and its 14
    /// derivatives and writes z and its derivatives; <see cref="FirstOrder{TCount}"/> pre-filters z and its first
    /// derivatives and takes their sums, <see cref="FirstProducts"/> the products of first derivatives and
    /// <see cref="SecondOrder{TCount}"/> pre-filters the second derivatives and takes theirs. Every sum adds the same terms
    /// in the same order as one pass would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Derivatives<TMode>(in KernelPack p, Span<double> sums) where TMode : struct, IObjectiveMode
    {
        var c = p.Theta;
        const int B = DerivativeBlock, States = 4 + Signals + Signals + ObjectiveKernel.DerivativeSums;
        byte* scratch = stackalloc byte[ScratchBytes(13 + 4 * B + B * Signals + States, 7)];
        V* k = Carve(ref scratch, 13);
        k[0] = Lane(c, q => q.KT); k[1] = Lane(c, q => q.S); k[2] = Lane(c, q => q.KS);
        k[3] = Lane(c, q => q.CR); k[4] = Lane(c, q => q.CRR); k[5] = Lane(c, q => q.KCR);
        k[6] = Lane(c, q => q.Attack); k[7] = Lane(c, q => q.AttackD1); k[8] = Lane(c, q => q.AttackD2);
        k[9] = Lane(c, q => q.Release); k[10] = Lane(c, q => q.ReleaseD1); k[11] = Lane(c, q => q.ReleaseD2);
        k[12] = Lane(c, q => q.Scale);
        int frame = p.FrameLength, overlap = p.Overlap, delay = p.Delay;
        CheckBounds(p);
        V* lx = Carve(ref scratch, B), cb = Carve(ref scratch, B), ub = Carve(ref scratch, B), rb = Carve(ref scratch, B);
        V* zb = Carve(ref scratch, B * Signals);
        // Detector and reference pre-filters (4), gain and derivatives (15), model pre-filters (15), sums (32).
        V* state = Carve(ref scratch, States);
        for (int i = 0; i < States; i++) state[i] = V.Zero;
        V* gs = state + 4, fs = gs + Signals, acc = fs + Signals;
        gs[0] = V.One;   // ĝ = 1, all derivatives 0
        fixed (float* x0 = &p.Input[0][p.Start[0]], x1 = &p.Input[1][p.Start[1]], x2 = &p.Input[2][p.Start[2]], x3 = &p.Input[3][p.Start[3]],
            x4 = &p.Input[4][p.Start[4]], x5 = &p.Input[5][p.Start[5]], x6 = &p.Input[6][p.Start[6]], x7 = &p.Input[7][p.Start[7]])
        fixed (float* t0 = &p.Target[0][p.Start[0]], t1 = &p.Target[1][p.Start[1]], t2 = &p.Target[2][p.Start[2]], t3 = &p.Target[3][p.Start[3]],
            t4 = &p.Target[4][p.Start[4]], t5 = &p.Target[5][p.Start[5]], t6 = &p.Target[6][p.Start[6]], t7 = &p.Target[7][p.Start[7]])
        {
            var xs = new Lanes8(x0, x1, x2, x3, x4, x5, x6, x7);
            var ts = new Lanes8(t0, t1, t2, t3, t4, t5, t6, t7);
            int total = frame + delay;
            for (int j0 = 0; j0 < total; j0 += B)
            {
                int count = Math.Min(B, total - j0);
                Stage<TMode>(xs, ts, j0, count, frame, delay, lx, cb, ub, rb, state);
                GainPass<TMode>(j0, count, frame, delay, lx, cb, ub, zb, gs, k);
                // Output samples n = j − delay ≥ 0 (pre-filtered), and those counted (n ≥ O).
                int first = Math.Max(0, delay - j0);
                int counted = Math.Min(count, Math.Max(first, overlap + delay - j0));
                if (first < counted)
                {
                    FirstOrder<Uncounted>(first, counted, zb, rb, fs, acc, k[12]);
                    SecondOrder<Uncounted>(first, counted, zb, rb, fs, acc);
                }
                if (counted < count)
                {
                    FirstOrder<Counted>(counted, count, zb, rb, fs, acc, k[12]);
                    FirstProducts(counted, count, zb, acc);
                    SecondOrder<Counted>(counted, count, zb, rb, fs, acc);
                }
            }
        }
        for (int l = 0; l < Lanes; l++)
        {
            var o = sums.Slice(l * ObjectiveKernel.DerivativeSums, ObjectiveKernel.DerivativeSums);
            for (int q = 0; q < ObjectiveKernel.DerivativeSums; q++) o[q] = acc[q][l];
        }
    }

    /// <summary>
    /// The smoothed gain and its derivatives over block steps <c>j = j0 + k</c> (docs/model.md §3 (a)–(c)), from and back
    /// to <paramref name="gs"/> (G, G_T, G_R, G_a, G_r, then TT, TR, Ta, Tr, RR, Ra, Rr, aa, ar, rr), and for each output
    /// sample <c>n = j − delay ≥ 0</c> the model signal z and its 14 derivatives (§3 (d)) into
    /// <c>zb[Signals·k …]</c> in that order. <paramref name="k"/>: kT, S, kS, CR, CRR, kCR, αa, αa', αa'', αr, αr', αr'', Scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void GainPass<TMode>(int j0, int count, int frame, int delay, V* lx, V* cb, V* ub, V* zb, V* gs, V* k)
        where TMode : struct, IObjectiveMode
    {
        V kT = k[0], s = k[1];
        V two = VS.Create(2.0);
        V G = gs[0], GT = gs[1], GR = gs[2], Ga = gs[3], Gr = gs[4];
        V GTT = gs[5], GTR = gs[6], GTa = gs[7], GTr = gs[8], GRR = gs[9];
        V GRa = gs[10], GRr = gs[11], Gaa = gs[12], Gar = gs[13], Grr = gs[14];

        // The static gain and its derivatives first, for the whole block: they do not depend on the recursion, so their
        // exponentials overlap freely. Parked in the last six slots of each sample's signals, read before they are written.
        int gains = Math.Min(count, frame - j0);
        for (int i = 0; i < gains; i++)
        {
            V g = VectorMath.ExpShortChain(GainComputer.LogGainCapped(lx[i], cb[i], kT, s, out V v, out V comp));

            // Derivatives of L = ln g on the compressor branch:
            //   ∂L/∂T = kS, ∂L/∂uR = v·CR, ∂²L/∂T∂uR = k·CR, ∂²L/∂uR² = v·CRR, ∂²L/∂T² = 0
            // and of g = e^L: g_i = g·L_i, g_ij = g·(L_ij + L_i·L_j).
            V LT = k[2] & comp;
            V LR = (v * k[3]) & comp;
            V gT = g * LT, gR = g * LR;
            V* gp = zb + Signals * i + Signals - 6;
            gp[0] = g; gp[1] = gT; gp[2] = gR;
            gp[3] = gT * LT;
            gp[4] = Fma(g, k[5] & comp, gT * LR);
            gp[5] = Fma(g, (v * k[4]) & comp, gR * LR);
        }

        for (int i = 0; i < count; i++)
        {
            int j = j0 + i;
            if (j < frame)
            {
                V* gp = zb + Signals * i + Signals - 6;
                V g = gp[0], gT = gp[1], gR = gp[2], gTT = gp[3], gTR = gp[4], gRR = gp[5];

                // ĝ = ĝ + α(g − ĝ), α = αa if g < ĝ else αr; the branch is piecewise constant, so
                // ∂α/∂ua = αa' only on attack samples and ∂α/∂ur = αr' only on release samples.
                V a = Ballistics.Select(G, g, k[6], k[9], out V att);
                V A1a = k[7] & att, A1r = VS.AndNot(k[10], att);
                V A2a = k[8] & att, A2r = VS.AndNot(k[11], att);
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
            if (j < delay) continue;

            V* z = zb + Signals * i;
            if (TMode.Inverse)
            {
                // z = t/G:  z_i = −(t/G²)·G_i,  z_ij = (t/G²)·(2·G_i·G_j/G − G_ij)
                V ig = V.One / G;
                V w = ub[i] * ig;
                V w2 = w * ig;
                V q = two * ig;
                z[0] = w;
                z[1] = -w2 * GT; z[2] = -w2 * GR; z[3] = -w2 * Ga; z[4] = -w2 * Gr;
                V qT = q * GT, qR = q * GR, qa = q * Ga;
                z[5] = w2 * Fma(qT, GT, -GTT); z[6] = w2 * Fma(qT, GR, -GTR);
                z[7] = w2 * Fma(qT, Ga, -GTa); z[8] = w2 * Fma(qT, Gr, -GTr);
                z[9] = w2 * Fma(qR, GR, -GRR); z[10] = w2 * Fma(qR, Ga, -GRa);
                z[11] = w2 * Fma(qR, Gr, -GRr); z[12] = w2 * Fma(qa, Ga, -Gaa);
                z[13] = w2 * Fma(qa, Gr, -Gar); z[14] = w2 * Fma(q * Gr, Gr, -Grr);
            }
            else
            {
                // z = G·x: every derivative is the gain's derivative times x.
                V xn = ub[i];
                z[0] = G * xn;
                z[1] = GT * xn; z[2] = GR * xn; z[3] = Ga * xn; z[4] = Gr * xn;
                z[5] = GTT * xn; z[6] = GTR * xn; z[7] = GTa * xn; z[8] = GTr * xn; z[9] = GRR * xn;
                z[10] = GRa * xn; z[11] = GRr * xn; z[12] = Gaa * xn; z[13] = Gar * xn; z[14] = Grr * xn;
            }
        }
        gs[0] = G; gs[1] = GT; gs[2] = GR; gs[3] = Ga; gs[4] = Gr;
        gs[5] = GTT; gs[6] = GTR; gs[7] = GTa; gs[8] = GTr; gs[9] = GRR;
        gs[10] = GRa; gs[11] = GRr; gs[12] = Gaa; gs[13] = Gar; gs[14] = Grr;
    }


    /// <summary>
    /// Pre-filters z and its 4 first derivatives of block samples <c>[from, to)</c> (one transposed-form state each in
    /// <paramref name="fs"/>[0…4]; P is linear, so P[∂z] = ∂P[z], docs/model.md §3 (d)); y = Scale·P[z]. Counted samples also
    /// add to Σr², Σry, Σy², Σρ², Σr·P∂_i z and Σy·P∂_i z (§3 (e)) and leave P∂_i z in <c>zb[1…4]</c> and r = y − ρ in
    /// <paramref name="rb"/> for <see cref="FirstProducts"/> and <see cref="SecondOrder{TCount}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FirstOrder<TCount>(int from, int to, V* zb, V* rb, V* fs, V* acc, V scale) where TCount : struct, ICount
    {
        V f0 = fs[0], f1 = fs[1], f2 = fs[2], f3 = fs[3], f4 = fs[4];
        V srr = acc[0], sry = acc[1], syy = acc[2], spp = acc[3];
        V rT = acc[4], rR = acc[5], ra = acc[6], rr = acc[7];
        V yT = acc[8], yR = acc[9], ya = acc[10], yr = acc[11];
        for (int i = from; i < to; i++)
        {
            V* z = zb + Signals * i;
            V y = scale * PreFilter.StepTransposed(z[0], ref f0);
            V pT = PreFilter.StepTransposed(z[1], ref f1), pR = PreFilter.StepTransposed(z[2], ref f2);
            V pa = PreFilter.StepTransposed(z[3], ref f3), pr = PreFilter.StepTransposed(z[4], ref f4);
            if (!TCount.On) continue;
            V rho = rb[i];
            V r = y - rho;
            rb[i] = r;
            z[1] = pT; z[2] = pR; z[3] = pa; z[4] = pr;
            srr = Fma(r, r, srr); sry = Fma(r, y, sry); syy = Fma(y, y, syy); spp = Fma(rho, rho, spp);
            rT = Fma(r, pT, rT); rR = Fma(r, pR, rR); ra = Fma(r, pa, ra); rr = Fma(r, pr, rr);
            yT = Fma(y, pT, yT); yR = Fma(y, pR, yR); ya = Fma(y, pa, ya); yr = Fma(y, pr, yr);
        }
        fs[0] = f0; fs[1] = f1; fs[2] = f2; fs[3] = f3; fs[4] = f4;
        acc[0] = srr; acc[1] = sry; acc[2] = syy; acc[3] = spp;
        acc[4] = rT; acc[5] = rR; acc[6] = ra; acc[7] = rr;
        acc[8] = yT; acc[9] = yR; acc[10] = ya; acc[11] = yr;
    }

    /// <summary>ΣP∂_i z·P∂_j z (i ≤ j, §3 (e)) over counted block samples <c>[from, to)</c>, from <c>zb[1…4]</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FirstProducts(int from, int to, V* zb, V* acc)
    {
        V dTT = acc[12], dTR = acc[13], dTa = acc[14], dTr = acc[15], dRR = acc[16];
        V dRa = acc[17], dRr = acc[18], daa = acc[19], dar = acc[20], drr = acc[21];
        for (int i = from; i < to; i++)
        {
            V* z = zb + Signals * i;
            V pT = z[1], pR = z[2], pa = z[3], pr = z[4];
            dTT = Fma(pT, pT, dTT); dTR = Fma(pT, pR, dTR); dTa = Fma(pT, pa, dTa); dTr = Fma(pT, pr, dTr);
            dRR = Fma(pR, pR, dRR); dRa = Fma(pR, pa, dRa); dRr = Fma(pR, pr, dRr);
            daa = Fma(pa, pa, daa); dar = Fma(pa, pr, dar); drr = Fma(pr, pr, drr);
        }
        acc[12] = dTT; acc[13] = dTR; acc[14] = dTa; acc[15] = dTr; acc[16] = dRR;
        acc[17] = dRa; acc[18] = dRr; acc[19] = daa; acc[20] = dar; acc[21] = drr;
    }

    /// <summary>
    /// Pre-filters the 10 second derivatives of z of block samples <c>[from, to)</c> (states <paramref name="fs"/>[5…14]);
    /// counted samples add to Σr·P∂²_ij z (§3 (e)) with r from <paramref name="rb"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SecondOrder<TCount>(int from, int to, V* zb, V* rb, V* fs, V* acc) where TCount : struct, ICount
    {
        V f5 = fs[5], f6 = fs[6], f7 = fs[7], f8 = fs[8], f9 = fs[9], f10 = fs[10], f11 = fs[11], f12 = fs[12], f13 = fs[13], f14 = fs[14];
        V hTT = acc[22], hTR = acc[23], hTa = acc[24], hTr = acc[25], hRR = acc[26];
        V hRa = acc[27], hRr = acc[28], haa = acc[29], har = acc[30], hrr = acc[31];
        for (int i = from; i < to; i++)
        {
            V* z = zb + Signals * i;
            V pTT = PreFilter.StepTransposed(z[5], ref f5), pTR = PreFilter.StepTransposed(z[6], ref f6);
            V pTa = PreFilter.StepTransposed(z[7], ref f7), pTr = PreFilter.StepTransposed(z[8], ref f8);
            V pRR = PreFilter.StepTransposed(z[9], ref f9), pRa = PreFilter.StepTransposed(z[10], ref f10);
            V pRr = PreFilter.StepTransposed(z[11], ref f11), paa = PreFilter.StepTransposed(z[12], ref f12);
            V par = PreFilter.StepTransposed(z[13], ref f13), prr = PreFilter.StepTransposed(z[14], ref f14);
            if (!TCount.On) continue;
            V r = rb[i];
            hTT = Fma(r, pTT, hTT); hTR = Fma(r, pTR, hTR); hTa = Fma(r, pTa, hTa); hTr = Fma(r, pTr, hTr);
            hRR = Fma(r, pRR, hRR); hRa = Fma(r, pRa, hRa); hRr = Fma(r, pRr, hRr);
            haa = Fma(r, paa, haa); har = Fma(r, par, har); hrr = Fma(r, prr, hrr);
        }
        fs[5] = f5; fs[6] = f6; fs[7] = f7; fs[8] = f8; fs[9] = f9; fs[10] = f10; fs[11] = f11; fs[12] = f12; fs[13] = f13; fs[14] = f14;
        acc[22] = hTT; acc[23] = hTR; acc[24] = hTa; acc[25] = hTr; acc[26] = hRR;
        acc[27] = hRa; acc[28] = hRr; acc[29] = haa; acc[30] = har; acc[31] = hrr;
    }
}
