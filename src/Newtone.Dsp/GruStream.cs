using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using F8 = System.Runtime.Intrinsics.Vector256<float>;
using F16 = System.Runtime.Intrinsics.Vector512<float>;
using V8 = System.Runtime.Intrinsics.Vector256;
using V16 = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Dsp;

/// <summary>
/// The GRU make-up gain as a streaming processor for one channel: any block size, state kept between
/// blocks, <see cref="Reset"/> clears it; output identical to running the whole file in one go.
/// Follows the <see cref="IAudioProcessor"/> lifecycle with one channel and no latency.
/// <para>
/// A single stream is bound by the latency of the recurrence (each sample needs the previous hidden state), so it
/// runs in single precision with the eight hidden units of a gate in one 8-float vector: with AVX-512 the r and z
/// gates share one 16-float vector, each h_j is broadcast by a register permute, the matrix–vector products of
/// docs/model.md §7 are summed as a tree of four partial sums, and σ and tanh are <see cref="FloatMath"/>'s
/// inlined polynomials (within a few ulp of float). The result agrees with the double-precision batch forward
/// to about 1e-7 of full scale.
/// </para>
/// </summary>
public sealed class GruStream : IAudioProcessor
{
    private const int H = GruModel.Hidden;
    // Layout of _w (floats): per input column j (0..7), at j·24: W_hr[:, j], W_hz[:, j], W_hn[:, j] (8 each);
    // then at Tail: W_ir, W_iz (16), b_ir + b_hr, b_iz + b_hz (16), W_in, b_in, b_hn, lin.weight (8 each). The r and z
    // rows are stored negated and the n rows doubled (see the constructor).
    private const int Column = 3 * H, Tail = H * Column, WiRzAt = Tail, BRzAt = Tail + 16, WiNAt = Tail + 32, BInAt = Tail + 40,
        BHnAt = Tail + 48, LinAt = Tail + 56, Size = Tail + 64, PairColumn = 48, PairTail = H * PairColumn;
    // The input parts of the pre-activations are clamped (off the critical path) so that, with |h| ≤ 1 and sane weights,
    // every argument of FloatMath.OnePlusExp stays within its Limit; σ and tanh are saturated long before.
    private const float InputLimit = 1e5f;
    private readonly float[] _w = new float[Size];
    private readonly float _linB;
    private float[]? _paired;
    private F8 _h;

    /// <summary>Prepares the processor for a sample rate (Hz), with hidden state zero.</summary>
    public GruStream(GruModel model, int sampleRate = 44100)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Model = model;
        SampleRate = sampleRate;
        // r and z rows negated (the products give −a, and σ(a) = 1/(1 + e^−a) needs no negation), n rows doubled
        // (tanh v = 1 − 2/(1 + e^2v) needs 2v): scaling by −1 and 2 is exact, so the model is unchanged.
        for (int j = 0; j < H; j++)
            for (int row = 0; row < 3 * H; row++) _w[j * Column + row] = (float)(Scale(row) * model.Whh(row, j));
        for (int k = 0; k < H; k++)
        {
            _w[WiRzAt + k] = (float)-model.Wih(k);
            _w[WiRzAt + H + k] = (float)-model.Wih(H + k);
            _w[BRzAt + k] = (float)-(model.Bih(k) + model.Bhh(k));
            _w[BRzAt + H + k] = (float)-(model.Bih(H + k) + model.Bhh(H + k));
            _w[WiNAt + k] = (float)(2 * model.Wih(2 * H + k));
            _w[BInAt + k] = (float)(2 * model.Bih(2 * H + k));
            _w[BHnAt + k] = (float)(2 * model.Bhh(2 * H + k));
            _w[LinAt + k] = (float)model.LinW(k);
        }
        _linB = (float)model.LinB;
    }

    private static double Scale(int row) => row < 2 * H ? -1 : 2;

    /// <summary>The model.</summary>
    public GruModel Model { get; }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>One channel.</summary>
    public int Channels => 1;

    /// <summary>No latency.</summary>
    public int LatencySamples => 0;

    /// <summary>
    /// Whether this processor runs the 512-bit paths: <see cref="Process"/> with r and z in one vector, and
    /// <see cref="ProcessPair"/> with its two streams side by side rather than one after the other.
    /// </summary>
    internal static bool Runs512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>The SIMD width (bits) <see cref="Process"/> uses on this machine: 512 (r and z in one vector), 256, or 0 (portable code).</summary>
    internal static int VectorBits => Runs512 ? 512 : Avx2.IsSupported && Fma.IsSupported ? 256 : 0;

    /// <summary>Clears the hidden state.</summary>
    public void Reset() => _h = F8.Zero;

    /// <summary>Nothing is held: does nothing.</summary>
    public void Flush(Span<float> output) { }

    /// <summary>The hidden state (8 values; held in single precision).</summary>
    public double[] State
    {
        get
        {
            var s = new double[H];
            for (int k = 0; k < H; k++) s[k] = _h[k];
            return s;
        }
        set
        {
            if (value.Length != H) throw new ArgumentException("the GRU state has 8 values");
            _h = V8.Create((float)value[0], (float)value[1], (float)value[2], (float)value[3],
                (float)value[4], (float)value[5], (float)value[6], (float)value[7]);
        }
    }

    /// <summary>Processes a block (<paramref name="output"/> may be the same span as <paramref name="input"/>).</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        if (input.IsEmpty) return;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        if (Runs512) _h = Run512(_w, _linB, _h, ref x, ref y, input.Length);
        else _h = Run256(_w, _linB, _h, ref x, ref y, input.Length);
    }

    /// <summary>
    /// Processes two streams of the same model, e.g. the two channels of a stereo signal or two files: each stream keeps its
    /// own state and gets exactly what <see cref="Process"/> would give it. With AVX-512 the two run side by side in the
    /// halves of 16-float vectors (one stream is bound by its step, so two take about 1.4 times as long as one); elsewhere,
    /// and for streams of different models or beyond the common length, one after the other. Each output may be its own
    /// input's span; otherwise the buffers must not overlap (refused).
    /// </summary>
    public static void ProcessPair(GruStream a, ReadOnlySpan<float> inputA, Span<float> outputA, GruStream b, ReadOnlySpan<float> inputB, Span<float> outputB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (outputA.Length < inputA.Length) throw new ArgumentException("output buffer too short", nameof(outputA));
        if (outputB.Length < inputB.Length) throw new ArgumentException("output buffer too short", nameof(outputB));
        if (ReferenceEquals(a, b)) throw new ArgumentException("the two streams must be different objects", nameof(b));
        if (outputA.Overlaps(inputB) || outputB.Overlaps(inputA) || outputA.Overlaps(outputB))
            throw new ArgumentException("the two streams' buffers overlap");
        int common = Math.Min(inputA.Length, inputB.Length);
        if (common > 0 && Runs512 && (ReferenceEquals(a.Model, b.Model) || (a._linB == b._linB && a._w.AsSpan().SequenceEqual(b._w))))
        {
            Run512Pair(a.Paired, a._linB, ref a._h, ref MemoryMarshal.GetReference(inputA), ref MemoryMarshal.GetReference(outputA),
                ref b._h, ref MemoryMarshal.GetReference(inputB), ref MemoryMarshal.GetReference(outputB), common);
            a.Process(inputA[common..], outputA[common..]);
            b.Process(inputB[common..], outputB[common..]);
            return;
        }
        a.Process(inputA, outputA);
        b.Process(inputB, outputB);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Clamp(F8 x) => V8.Min(V8.Max(x, V8.Create(-InputLimit)), V8.Create(InputLimit));

    /// <summary>h_j in every lane (a register permute where the CPU has one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Broadcast(F8 h, int j) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(h, V8.Create(j)) : V8.Create(h.GetElement(j));

    /// <summary>
    /// docs/model.md §7 with r and z in one 16-float vector: [r|z] = σ(W_i u + b_i + b_h + Σ_j W_h[:, j] h_j),
    /// n = tanh(W_in u + b_in + r ⊙ (W_hn h + b_hn)), h' = n + z ⊙ (h − n), out = u + w·h' + b.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static F8 Run512(float[] weights, float linB, F8 h, ref float x, ref float y, int length)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        F16 wiRz = V16.LoadUnsafe(ref w, WiRzAt), bRz = V16.LoadUnsafe(ref w, BRzAt);
        F8 wiN = V8.LoadUnsafe(ref w, WiNAt), bIn = V8.LoadUnsafe(ref w, BInAt), bHn = V8.LoadUnsafe(ref w, BHnAt), lin = V8.LoadUnsafe(ref w, LinAt);
        F16 rz0 = V16.LoadUnsafe(ref w, 0 * Column), rz1 = V16.LoadUnsafe(ref w, 1 * Column), rz2 = V16.LoadUnsafe(ref w, 2 * Column),
            rz3 = V16.LoadUnsafe(ref w, 3 * Column), rz4 = V16.LoadUnsafe(ref w, 4 * Column), rz5 = V16.LoadUnsafe(ref w, 5 * Column),
            rz6 = V16.LoadUnsafe(ref w, 6 * Column), rz7 = V16.LoadUnsafe(ref w, 7 * Column);
        F8 n0 = V8.LoadUnsafe(ref w, 0 * Column + 16), n1 = V8.LoadUnsafe(ref w, 1 * Column + 16), n2 = V8.LoadUnsafe(ref w, 2 * Column + 16),
            n3 = V8.LoadUnsafe(ref w, 3 * Column + 16), n4 = V8.LoadUnsafe(ref w, 4 * Column + 16), n5 = V8.LoadUnsafe(ref w, 5 * Column + 16),
            n6 = V8.LoadUnsafe(ref w, 6 * Column + 16), n7 = V8.LoadUnsafe(ref w, 7 * Column + 16);
        for (int t = 0; t < length; t++)
        {
            float u = Unsafe.Add(ref x, t);
            // Input parts (off the recurrence's critical path).
            F16 rzIn = V16.Min(V16.Max(V16.FusedMultiplyAdd(wiRz, V16.Create(u), bRz), V16.Create(-InputLimit)), V16.Create(InputLimit));
            F8 nIn = Clamp(V8.FusedMultiplyAdd(wiN, V8.Create(u), bIn));
            F16 hw = h.ToVector512Unsafe();
            F16 h0 = Avx512F.PermuteVar16x32(hw, V16.Create(0)), h1 = Avx512F.PermuteVar16x32(hw, V16.Create(1)),
                h2 = Avx512F.PermuteVar16x32(hw, V16.Create(2)), h3 = Avx512F.PermuteVar16x32(hw, V16.Create(3)),
                h4 = Avx512F.PermuteVar16x32(hw, V16.Create(4)), h5 = Avx512F.PermuteVar16x32(hw, V16.Create(5)),
                h6 = Avx512F.PermuteVar16x32(hw, V16.Create(6)), h7 = Avx512F.PermuteVar16x32(hw, V16.Create(7));
            // Σ_j W_h[:, j] h_j as four partial sums added as a tree.
            F16 a0 = V16.FusedMultiplyAdd(rz4, h4, V16.FusedMultiplyAdd(rz0, h0, rzIn));
            F16 a1 = V16.FusedMultiplyAdd(rz5, h5, rz1 * h1);
            F16 a2 = V16.FusedMultiplyAdd(rz6, h6, rz2 * h2);
            F16 a3 = V16.FusedMultiplyAdd(rz7, h7, rz3 * h3);
            F16 rz = F16.One / FloatMath.OnePlusExp((a0 + a1) + (a2 + a3));   // σ(a) from −a
            F8 c0 = V8.FusedMultiplyAdd(n4, h4.GetLower(), V8.FusedMultiplyAdd(n0, h0.GetLower(), bHn));
            F8 c1 = V8.FusedMultiplyAdd(n5, h5.GetLower(), n1 * h1.GetLower());
            F8 c2 = V8.FusedMultiplyAdd(n6, h6.GetLower(), n2 * h2.GetLower());
            F8 c3 = V8.FusedMultiplyAdd(n7, h7.GetLower(), n3 * h3.GetLower());
            h = Update(h, rz.GetLower(), rz.GetUpper(), (c0 + c1) + (c2 + c3), nIn);
            Unsafe.Add(ref y, t) = u + linB + V8.Sum(lin * h);
        }
        return h;
    }

    /// <summary>
    /// Two streams of one model side by side, stream A in the low and stream B in the high eight lanes of every 16-float
    /// vector (weights repeated in both halves, <see cref="Paired"/>): the operations of <see cref="Run512"/> lane for lane,
    /// so each stream's output is bit for bit what <see cref="Run512"/> gives it, at about the latency of one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512Pair(float[] paired, float linB, ref F8 h, ref float x, ref float y, ref F8 g, ref float x2, ref float y2, int length)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(paired);
        F16 wiR = V16.LoadUnsafe(ref w, PairTail), wiZ = V16.LoadUnsafe(ref w, PairTail + 16), wiN = V16.LoadUnsafe(ref w, PairTail + 32);
        F16 bR = V16.LoadUnsafe(ref w, PairTail + 48), bZ = V16.LoadUnsafe(ref w, PairTail + 64), bIn = V16.LoadUnsafe(ref w, PairTail + 80);
        F16 bHn = V16.LoadUnsafe(ref w, PairTail + 96), lin = V16.LoadUnsafe(ref w, PairTail + 112);
        F16 s = V16.Create(h, g);
        for (int t = 0; t < length; t++)
        {
            float ua = Unsafe.Add(ref x, t), ub = Unsafe.Add(ref x2, t);
            F16 u = V16.Create(V8.Create(ua), V8.Create(ub));
            F16 rIn = Clamp(V16.FusedMultiplyAdd(wiR, u, bR)), zIn = Clamp(V16.FusedMultiplyAdd(wiZ, u, bZ)), nIn = Clamp(V16.FusedMultiplyAdd(wiN, u, bIn));
            // h_j of each stream in its half.
            F16 h0 = Avx512F.PermuteVar16x32(s, Pick(0)), h1 = Avx512F.PermuteVar16x32(s, Pick(1)), h2 = Avx512F.PermuteVar16x32(s, Pick(2)),
                h3 = Avx512F.PermuteVar16x32(s, Pick(3)), h4 = Avx512F.PermuteVar16x32(s, Pick(4)), h5 = Avx512F.PermuteVar16x32(s, Pick(5)),
                h6 = Avx512F.PermuteVar16x32(s, Pick(6)), h7 = Avx512F.PermuteVar16x32(s, Pick(7));
            F16 r = F16.One / FloatMath.OnePlusExp(PairGate(ref w, 0, rIn, h0, h1, h2, h3, h4, h5, h6, h7));   // σ(a) from −a
            F16 z = F16.One / FloatMath.OnePlusExp(PairGate(ref w, 16, zIn, h0, h1, h2, h3, h4, h5, h6, h7));
            F16 hn = PairGate(ref w, 32, bHn, h0, h1, h2, h3, h4, h5, h6, h7);
            s = Update(s, r, z, hn, nIn);
            F16 o = lin * s;
            Unsafe.Add(ref y, t) = ua + linB + V8.Sum(o.GetLower());
            Unsafe.Add(ref y2, t) = ub + linB + V8.Sum(o.GetUpper());
        }
        h = s.GetLower();
        g = s.GetUpper();
    }

    /// <summary>The permute indices that broadcast h_j within each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Pick(int j) => V16.Create(V8.Create(j), V8.Create(j + H));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 Clamp(F16 x) => V16.Min(V16.Max(x, V16.Create(-InputLimit)), V16.Create(InputLimit));

    /// <summary>
    /// init + Σ_j W_h[gate rows, j]·h_j for both streams, in the tree of <see cref="Run512"/>: ((init + w0h0 + w4h4) + (w1h1 +
    /// w5h5)) + ((w2h2 + w6h6) + (w3h3 + w7h7)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 PairGate(ref float w, int gate, F16 init, F16 h0, F16 h1, F16 h2, F16 h3, F16 h4, F16 h5, F16 h6, F16 h7)
    {
        F16 a0 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(4 * PairColumn + gate)), h4, V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)gate), h0, init));
        F16 a1 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(5 * PairColumn + gate)), h5, V16.LoadUnsafe(ref w, (nuint)(1 * PairColumn + gate)) * h1);
        F16 a2 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(6 * PairColumn + gate)), h6, V16.LoadUnsafe(ref w, (nuint)(2 * PairColumn + gate)) * h2);
        F16 a3 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(7 * PairColumn + gate)), h7, V16.LoadUnsafe(ref w, (nuint)(3 * PairColumn + gate)) * h3);
        return (a0 + a1) + (a2 + a3);
    }

    /// <summary>
    /// The weights for <see cref="Run512Pair"/>: per column j at j·48: W_hr[:, j], W_hz[:, j], W_hn[:, j], each repeated in both
    /// halves of 16 floats; then W_ir, W_iz, W_in, b_ir + b_hr, b_iz + b_hz, b_in, b_hn, lin.weight, each repeated (scaled as in
    /// the single layout).
    /// </summary>
    private float[] Paired
    {
        get
        {
            if (_paired is { } p) return p;
            p = new float[PairTail + 128];
            for (int j = 0; j < H; j++)
                for (int gate = 0; gate < 3; gate++)
                    for (int k = 0; k < H; k++)
                        p[j * PairColumn + 16 * gate + k] = p[j * PairColumn + 16 * gate + H + k] = _w[j * Column + gate * H + k];
            int[] from = [WiRzAt, WiRzAt + H, WiNAt, BRzAt, BRzAt + H, BInAt, BHnAt, LinAt];
            for (int i = 0; i < from.Length; i++)
                for (int k = 0; k < H; k++) p[PairTail + 16 * i + k] = p[PairTail + 16 * i + H + k] = _w[from[i] + k];
            return _paired = p;
        }
    }

    /// <summary>As <see cref="Run512"/> with r, z and n in 8-float vectors (AVX2, or portable code elsewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static F8 Run256(float[] weights, float linB, F8 h, ref float x, ref float y, int length)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        F8 wiR = V8.LoadUnsafe(ref w, WiRzAt), wiZ = V8.LoadUnsafe(ref w, WiRzAt + H), bR = V8.LoadUnsafe(ref w, BRzAt), bZ = V8.LoadUnsafe(ref w, BRzAt + H);
        F8 wiN = V8.LoadUnsafe(ref w, WiNAt), bIn = V8.LoadUnsafe(ref w, BInAt), bHn = V8.LoadUnsafe(ref w, BHnAt), lin = V8.LoadUnsafe(ref w, LinAt);
        for (int t = 0; t < length; t++)
        {
            float u = Unsafe.Add(ref x, t);
            F8 uu = V8.Create(u);
            F8 rIn = Clamp(V8.FusedMultiplyAdd(wiR, uu, bR)), zIn = Clamp(V8.FusedMultiplyAdd(wiZ, uu, bZ)), nIn = Clamp(V8.FusedMultiplyAdd(wiN, uu, bIn));
            F8 h0 = Broadcast(h, 0), h1 = Broadcast(h, 1), h2 = Broadcast(h, 2), h3 = Broadcast(h, 3),
                h4 = Broadcast(h, 4), h5 = Broadcast(h, 5), h6 = Broadcast(h, 6), h7 = Broadcast(h, 7);
            // r first: it gates n, which is on the critical path; z is needed only at the end.
            F8 r = F8.One / FloatMath.OnePlusExp(Gate(ref w, 0, rIn, h0, h1, h2, h3, h4, h5, h6, h7));   // σ(a) from −a
            F8 hn = Gate(ref w, 2 * H, bHn, h0, h1, h2, h3, h4, h5, h6, h7);
            F8 z = F8.One / FloatMath.OnePlusExp(Gate(ref w, H, zIn, h0, h1, h2, h3, h4, h5, h6, h7));
            h = Update(h, r, z, hn, nIn);
            Unsafe.Add(ref y, t) = u + linB + V8.Sum(lin * h);
        }
        return h;
    }

    /// <summary>
    /// h' = (1 − z)·n + z·h with n = tanh v, from 2v = 2(W_in u + b_in) + r ⊙ 2(W_hn h + b_hn) (<paramref name="hn2"/>,
    /// <paramref name="nIn2"/>). For |v| ≥ 0.625, tanh v = 1 − 2q with q = 1/(1 + e^2v), so h' = (1 − z + z·h) − 2(1 − z)·q: one
    /// FMA after the division on the critical path; below, tanh v = x + x³·Q(x²) (<see cref="FloatMath.TanhNearZero(F8)"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Update(F8 h, F8 r, F8 z, F8 hn2, F8 nIn2)
    {
        F8 v2 = V8.FusedMultiplyAdd(r, hn2, nIn2);
        F8 q = F8.One / FloatMath.OnePlusExp(v2);
        F8 a = V8.FusedMultiplyAdd(z, h, F8.One - z), b = V8.Create(2f) - (z + z);
        F8 big = V8.FusedMultiplyAdd(-q, b, a);
        F8 v = v2 * V8.Create(0.5f);
        F8 ns = FloatMath.TanhNearZero(v);
        F8 small = V8.FusedMultiplyAdd(z, h - ns, ns);
        return V8.ConditionalSelect(FloatMath.IsSmall(v), small, big);
    }

    /// <summary>Both streams' <see cref="Update(F8, F8, F8, F8, F8)"/> in one 16-float vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 Update(F16 h, F16 r, F16 z, F16 hn2, F16 nIn2)
    {
        F16 v2 = V16.FusedMultiplyAdd(r, hn2, nIn2);
        F16 q = F16.One / FloatMath.OnePlusExp(v2);
        F16 a = V16.FusedMultiplyAdd(z, h, F16.One - z), b = V16.Create(2f) - (z + z);
        F16 big = V16.FusedMultiplyAdd(-q, b, a);
        F16 v = v2 * V16.Create(0.5f);
        F16 ns = FloatMath.TanhNearZero(v);
        F16 small = V16.FusedMultiplyAdd(z, h - ns, ns);
        return V16.ConditionalSelect(FloatMath.IsSmall(v), small, big);
    }

    /// <summary>init + Σ_j W_h[gate rows, j]·h_j for the 8 rows at <paramref name="row"/> of each column, as a tree of four partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Gate(ref float w, int row, F8 init, F8 h0, F8 h1, F8 h2, F8 h3, F8 h4, F8 h5, F8 h6, F8 h7)
    {
        F8 a0 = V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, (nuint)(4 * Column + row)), h4, V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, (nuint)row), h0, init));
        F8 a1 = V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, (nuint)(5 * Column + row)), h5, V8.LoadUnsafe(ref w, (nuint)(1 * Column + row)) * h1);
        F8 a2 = V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, (nuint)(6 * Column + row)), h6, V8.LoadUnsafe(ref w, (nuint)(2 * Column + row)) * h2);
        F8 a3 = V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, (nuint)(7 * Column + row)), h7, V8.LoadUnsafe(ref w, (nuint)(3 * Column + row)) * h3);
        return (a0 + a1) + (a2 + a3);
    }
}
