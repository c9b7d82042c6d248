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
/// runs in single precision with the eight hidden units of a gate in one 8-float vector. With AVX-512 the r and z
/// gates share one 16-float vector; h reaches every lane by two quarter shuffles and six in-quarter rotations (weights
/// stored in the matching diagonal order) instead of eight cross-lane broadcasts; the matrix–vector products of
/// docs/model.md §7 are summed as a tree of four partial sums; and σ and tanh come from one rational function
/// (<see cref="FloatMath.TanhHalfRatio(F8)"/>, within 3.7e-7 absolute; no e^x) whose products with its argument fold
/// into the FMAs that use the gates. The result agrees with the double-precision reference to a few 1e-7 of full scale.
/// </para>
/// </summary>
public sealed class GruStream : IAudioProcessor
{
    private const int H = GruModel.Hidden;
    // Layout of _w (floats): per input column j (0..7), at j·24: W_hr[:, j], W_hz[:, j], W_hn[:, j] (8 each);
    // then at Tail: W_ir, W_iz (16), b_ir + b_hr, b_iz + b_hz (16), W_in, b_in, b_hn, lin.weight (8 each). W_in and b_in
    // are stored doubled (see the constructor).
    private const int Column = 3 * H, Tail = H * Column, WiRzAt = Tail, BRzAt = Tail + 16, WiNAt = Tail + 32, BInAt = Tail + 40,
        BHnAt = Tail + 48, LinAt = Tail + 56, Size = Tail + 64, WideTail = 3 * 128, RzAt = WideTail + 128, RzTail = RzAt + 128;
    private readonly float[] _w = new float[Size];
    private readonly float _linB;
    private readonly float[] _wide;
    private F8 _h;

    /// <summary>Prepares the processor for a sample rate (Hz), with hidden state zero.</summary>
    public GruStream(GruModel model, int sampleRate = 44100)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Model = model;
        SampleRate = sampleRate;
        // The input part of n doubled (n = tanh v = tanh(2v/2), see Update): scaling by 2 is exact, so the model is unchanged.
        for (int j = 0; j < H; j++)
            for (int row = 0; row < 3 * H; row++) _w[j * Column + row] = (float)model.Whh(row, j);
        for (int k = 0; k < H; k++)
        {
            _w[WiRzAt + k] = (float)model.Wih(k);
            _w[WiRzAt + H + k] = (float)model.Wih(H + k);
            _w[BRzAt + k] = (float)(model.Bih(k) + model.Bhh(k));
            _w[BRzAt + H + k] = (float)(model.Bih(H + k) + model.Bhh(H + k));
            _w[WiNAt + k] = (float)(2 * model.Wih(2 * H + k));
            _w[BInAt + k] = (float)(2 * model.Bih(2 * H + k));
            _w[BHnAt + k] = (float)model.Bhh(2 * H + k);
            _w[LinAt + k] = (float)model.LinW(k);
        }
        _linB = (float)model.LinB;
        _wide = BuildWide();
    }

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

    /// <summary>
    /// Whether this processor runs the 512-bit paths (default <see cref="Runs512"/>); tests turn it off to run the 256-bit path
    /// on a machine with AVX-512.
    /// </summary>
    internal bool Wide
    {
        get => _wideOn;
        set
        {
            if (value && !Runs512) throw new PlatformNotSupportedException("AVX-512 is not available here");
            _wideOn = value;
        }
    }

    private bool _wideOn = Runs512;

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

    /// <summary>
    /// Processes a block (<paramref name="output"/> may be the same span as <paramref name="input"/>; any other overlap is
    /// refused).
    /// </summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        if (input.IsEmpty) return;
        RefuseShifted(input, output, nameof(output));
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        if (Wide) _h = Run512(_wide, _linB, _h, ref x, ref y, input.Length);
        else _h = Run256(_w, _linB, _h, ref x, ref y, input.Length);
    }

    /// <summary>
    /// Processes two streams of the same model, e.g. the two channels of a stereo signal or two files: each stream keeps its
    /// own state and gets exactly what <see cref="Process"/> would give it. With AVX-512 the two run side by side in the
    /// halves of 16-float vectors (one stream is bound by its step, so two take about 1.3 times as long as one); elsewhere,
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
        RefuseShifted(inputA, outputA, nameof(outputA));
        RefuseShifted(inputB, outputB, nameof(outputB));
        int common = Math.Min(inputA.Length, inputB.Length);
        // The same weights (compared, not the model object: a model's parameters may have changed between the two
        // constructions).
        if (common > 0 && a.Wide && b.Wide && a._linB == b._linB && a._w.AsSpan().SequenceEqual(b._w))
        {
            Run512Pair(a._wide, a._linB, ref a._h, ref MemoryMarshal.GetReference(inputA), ref MemoryMarshal.GetReference(outputA),
                ref b._h, ref MemoryMarshal.GetReference(inputB), ref MemoryMarshal.GetReference(outputB), common);
            a.Process(inputA[common..], outputA[common..]);
            b.Process(inputB[common..], outputB[common..]);
            return;
        }
        a.Process(inputA, outputA);
        b.Process(inputB, outputB);
    }

    /// <summary>
    /// Refuses an output that overlaps its input other than exactly (the same span, in place): a shifted overlap would
    /// overwrite input samples before they are read.
    /// </summary>
    private static void RefuseShifted(ReadOnlySpan<float> input, Span<float> output, string name)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException("the output overlaps the input at an offset; pass the same span to process in place", name);
    }

    /// <summary>h_j in every lane (a register permute where the CPU has one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Broadcast(F8 h, int j) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(h, V8.Create(j)) : V8.Create(h.GetElement(j));

    /// <summary>
    /// One stream: r and z in one 16-float vector, n and h in 8 floats. Each step spreads h over the four 128-bit quarters
    /// twice ([h|h] and its quarters swapped, two vshuff32x4) and rotates those in place, then runs
    /// <see cref="Step16"/>'s operations lane for lane (r lanes as its r vector, z lanes as its z vector, n on its low half),
    /// so a stream gets the same bits here as beside another in <see cref="Run512Pair"/>, with one activation fewer per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static F8 Run512(float[] wide, float linB, F8 h, ref float x, ref float y, int length)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(wide);
        F8 lin = V8.LoadUnsafe(ref w, WideTail + 112);
        h = Step8(ref w, h, GateInput(Unsafe.Add(ref x, 0)));
        // Each output is summed after the next step is issued, so its shuffles come later in program order than that
        // step's (the scheduler favours older instructions) and stay off the recurrence's critical path.
        for (int t = 1; t < length; t++)
        {
            F8 next = Step8(ref w, h, GateInput(Unsafe.Add(ref x, t)));
            Unsafe.Add(ref y, t - 1) = Unsafe.Add(ref x, t - 1) + linB + V8.Sum(lin * h);
            h = next;
        }
        Unsafe.Add(ref y, length - 1) = Unsafe.Add(ref x, length - 1) + linB + V8.Sum(lin * h);
        return h;
    }

    /// <summary>
    /// The input as the gates see it: NaN as 0 and ±∞ as ±1e30, off the critical path, so that a bad sample gives a NaN or
    /// infinite output for that sample only (the output adds the raw input) and the state goes on as for a loud finite one,
    /// the same on every path (the clamps of the pre-activations then never see a NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float GateInput(float u) => float.IsNaN(u) ? 0f : Math.Clamp(u, -1e30f, 1e30f);

    /// <summary>One step of one stream (see <see cref="Run512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Step8(ref float w, F8 h, float u)
    {
        F16 hw = h.ToVector512Unsafe();
        F16 s0 = Avx512F.Shuffle4x128(hw, hw, SwapTwice), r0 = Avx512F.Shuffle4x128(hw, hw, Twice);
        F16 r1 = Avx512F.Permute4x32(r0, Rot1), r2 = Avx512F.Permute4x32(r0, Rot2), r3 = Avx512F.Permute4x32(r0, Rot3);
        F16 s1 = Avx512F.Permute4x32(s0, Rot1), s2 = Avx512F.Permute4x32(s0, Rot2), s3 = Avx512F.Permute4x32(s0, Rot3);
        F16 scale = V16.Create(FloatMath.HalfScale);
        F16 rzIn = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, RzTail), V16.Create(u), V16.LoadUnsafe(ref w, RzTail + 16));
        F16 a = FloatMath.ClampHalf(WideGate(ref w, RzAt, rzIn, r0, r1, r2, r3, s0, s1, s2, s3));
        F16 ratio = FloatMath.TanhHalfRatio(a);
        F8 nIn = V8.FusedMultiplyAdd(V8.LoadUnsafe(ref w, WideTail + 32), V8.Create(u), V8.LoadUnsafe(ref w, WideTail + 80));
        F8 hn = WideGate(ref w, 16 * 16, V16.LoadUnsafe(ref w, WideTail + 96), r0, r1, r2, r3, s0, s1, s2, s3).GetLower();
        return Update(h, a.GetLower(), ratio.GetLower(), ((a * scale) * ratio).GetUpper(), hn, nIn);
    }

    /// <summary>
    /// Two streams of one model side by side, stream A in the low and stream B in the high eight lanes of every 16-float
    /// vector (<see cref="Step16"/>), at about the latency of one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512Pair(float[] wide, float linB, ref F8 h, ref float x, ref float y, ref F8 g, ref float x2, ref float y2, int length)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(wide);
        F16 lin = V16.LoadUnsafe(ref w, WideTail + 112);
        F16 s = V16.Create(h, g);
        for (int t = 0; t < length; t++)
        {
            float ua = Unsafe.Add(ref x, t), ub = Unsafe.Add(ref x2, t);
            s = Step16(ref w, s, V16.Create(V8.Create(GateInput(ua)), V8.Create(GateInput(ub))));
            F16 o = lin * s;
            Unsafe.Add(ref y, t) = ua + linB + V8.Sum(o.GetLower());
            Unsafe.Add(ref y2, t) = ub + linB + V8.Sum(o.GetUpper());
        }
        h = s.GetLower();
        g = s.GetUpper();
    }

    /// <summary>
    /// One step of docs/model.md §7 for the states in the two halves of <paramref name="s"/> (one stream twice, or two streams)
    /// and their inputs <paramref name="u"/>. The matrix–vector products need every h_j in every lane; rather than eight
    /// cross-lane broadcasts (5 cycles each, one every other cycle), each half's 128-bit quarters [h0..h3] and [h4..h7] are
    /// rotated in place (vpermilps, 1 cycle) and swapped once (vshuff32x4, 4 cycles): lane i then meets h_j for every j across
    /// the eight vectors R_k = rot_k(s) and S_k = rot_k(swap s), and the weights are stored in the matching diagonal order
    /// (<see cref="BuildWide"/>). r and z each fill a whole vector (both halves), so no step ever moves a gate across halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F16 Step16(ref float w, F16 s, F16 u)
    {
        // Input parts (off the recurrence's critical path).
        F16 rIn = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, WideTail), u, V16.LoadUnsafe(ref w, WideTail + 48));
        F16 zIn = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, WideTail + 16), u, V16.LoadUnsafe(ref w, WideTail + 64));
        F16 nIn = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, WideTail + 32), u, V16.LoadUnsafe(ref w, WideTail + 80));
        Rotations(s, out F16 r1, out F16 r2, out F16 r3, out F16 s0, out F16 s1, out F16 s2, out F16 s3);
        // The critical path first in program order (the CPU's scheduler favours older instructions): r's pre-activation and
        // ratio, then the n products it meets, then z, needed only at the end.
        F16 scale = V16.Create(FloatMath.HalfScale);
        F16 ar = FloatMath.ClampHalf(WideGate(ref w, 0, rIn, s, r1, r2, r3, s0, s1, s2, s3));
        F16 ratioR = FloatMath.TanhHalfRatio(ar);
        F16 hn = WideGate(ref w, 16 * 16, V16.LoadUnsafe(ref w, WideTail + 96), s, r1, r2, r3, s0, s1, s2, s3);
        F16 y = FloatMath.ClampHalf(V16.FusedMultiplyAdd(ratioR, hn * (ar * scale), nIn + hn));
        F16 ratioN = FloatMath.TanhHalfRatio(y);
        F16 az = FloatMath.ClampHalf(WideGate(ref w, 8 * 16, zIn, s, r1, r2, r3, s0, s1, s2, s3));
        F16 zs = (az * scale) * FloatMath.TanhHalfRatio(az);
        F16 half = V16.Create(0.5f);
        F16 z = V16.FusedMultiplyAdd(zs, half, half), oneMinusZ = V16.FusedMultiplyAdd(-zs, half, half);
        return V16.FusedMultiplyAdd(ratioN, (y * scale) * oneMinusZ, z * s);
    }

    // vpermilps controls rotating each 128-bit quarter by 1, 2, 3 lanes (lane p takes lane (p + k) mod 4), the vshuff32x4
    // control that swaps the quarters within each half ([q1, q0, q3, q2]); and for an 8-float h in the low half, the
    // controls that spread it twice ([q0, q1, q0, q1]) and swapped twice ([q1, q0, q1, q0]).
    private const byte Rot1 = 0b00_11_10_01, Rot2 = 0b01_00_11_10, Rot3 = 0b10_01_00_11, SwapQuarters = 0b10_11_00_01,
        Twice = 0b01_00_01_00, SwapTwice = 0b00_01_00_01;

    /// <summary>
    /// The rotations of <paramref name="x"/> that bring every element of each half to every lane of that half (the diagonal
    /// order, <see cref="Diagonal"/>): each 128-bit quarter rotated in place by 1, 2, 3 lanes (R_1..3; R_0 is x), and the
    /// quarters swapped within each half and rotated likewise (S_0..3). The 4-cycle swap is issued first, the 1-cycle
    /// rotations after it. The training batch's row set (Newtone.Study) uses it too, forward and backward.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Rotations(F16 x, out F16 r1, out F16 r2, out F16 r3, out F16 s0, out F16 s1, out F16 s2, out F16 s3)
    {
        s0 = Avx512F.Shuffle4x128(x, x, SwapQuarters);
        r1 = Avx512F.Permute4x32(x, Rot1);
        r2 = Avx512F.Permute4x32(x, Rot2);
        r3 = Avx512F.Permute4x32(x, Rot3);
        s1 = Avx512F.Permute4x32(s0, Rot1);
        s2 = Avx512F.Permute4x32(s0, Rot2);
        s3 = Avx512F.Permute4x32(s0, Rot3);
    }

    /// <summary>
    /// The element of its half that diagonal <paramref name="d"/> brings to lane <paramref name="lane"/> of a 16-float vector:
    /// the lane stands for unit i = lane mod 8, in quarter q = i / 4 at place p = lane mod 4; R_d (d = 0–3) brings element
    /// 4q + (p + d) mod 4, S_(d − 4) (d = 4–7) element 4(1 − q) + (p + d − 4) mod 4 (<see cref="Rotations"/>).
    /// </summary>
    internal static int Diagonal(int lane, int d)
    {
        int i = lane % H, q = i / 4, p = lane % 4;
        return d < 4 ? 4 * q + (p + d) % 4 : 4 * (1 - q) + (p + d - 4) % 4;
    }

    /// <summary>
    /// init + Σ_j W_h[gate rows, j]·h_j as Σ_k (WR_k ⊙ R_k + WS_k ⊙ S_k), in four partial sums, one per rotation, added as a
    /// tree (the swapped vectors arrive 4 cycles late, so each partial sum takes its R term first): the eight diagonals' 16
    /// floats each from float <paramref name="at"/> of <paramref name="w"/>, R_0..3 then S_0..3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static F16 WideGate(ref float w, int at, F16 init, F16 r0, F16 r1, F16 r2, F16 r3, F16 s0, F16 s1, F16 s2, F16 s3)
    {
        F16 a0 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(at + 64)), s0, V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)at), r0, init));
        F16 a1 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(at + 80)), s1, V16.LoadUnsafe(ref w, (nuint)(at + 16)) * r1);
        F16 a2 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(at + 96)), s2, V16.LoadUnsafe(ref w, (nuint)(at + 32)) * r2);
        F16 a3 = V16.FusedMultiplyAdd(V16.LoadUnsafe(ref w, (nuint)(at + 112)), s3, V16.LoadUnsafe(ref w, (nuint)(at + 48)) * r3);
        return (a0 + a1) + (a2 + a3);
    }

    /// <summary>
    /// The weights for <see cref="Step16"/>, each vector of 16 floats with both halves equal (except the block for
    /// <see cref="Step8"/> at the end, whose halves hold the r and the z rows). Per gate g (r, z, n) at g·128:
    /// WR_0..3 then WS_0..3, where lane L (row i = L mod 8, quarter q = i / 4, place p = L mod 4) holds W_hg[i, 4q + (p + k) mod 4]
    /// in WR_k and W_hg[i, 4(1 − q) + (p + k) mod 4] in WS_k, the h_j that R_k and S_k bring to that lane. Then at
    /// <see cref="WideTail"/>: W_ir, W_iz, 2·W_in, b_ir + b_hr, b_iz + b_hz, 2·b_in, b_hn, lin.weight; at <see cref="RzAt"/> the
    /// gate for <see cref="Step8"/> (the r lanes of the r gate's eight vectors, the z lanes of the z gate's), and at
    /// <see cref="RzTail"/> [W_ir|W_iz] and [b_ir + b_hr|b_iz + b_hz].
    /// </summary>
    private float[] BuildWide()
    {
        var p = new float[RzTail + 32];
        for (int gate = 0; gate < 3; gate++)
            for (int k = 0; k < 4; k++)
                for (int lane = 0; lane < 16; lane++)
                {
                    p[gate * 128 + k * 16 + lane] = _w[Diagonal(lane, k) * Column + gate * H + lane % H];
                    p[gate * 128 + (4 + k) * 16 + lane] = _w[Diagonal(lane, 4 + k) * Column + gate * H + lane % H];
                }
        int[] from = [WiRzAt, WiRzAt + H, WiNAt, BRzAt, BRzAt + H, BInAt, BHnAt, LinAt];
        for (int v = 0; v < from.Length; v++)
            for (int lane = 0; lane < 16; lane++) p[WideTail + 16 * v + lane] = _w[from[v] + lane % H];
        // For one stream (Run512): r's lanes of the r gate and z's lanes of the z gate in one gate, and [W_ir|W_iz], [b_r|b_z].
        for (int v = 0; v < 8; v++)
            for (int lane = 0; lane < 16; lane++) p[RzAt + 16 * v + lane] = p[(lane < H ? 0 : 128) + 16 * v + lane];
        for (int lane = 0; lane < 16; lane++)
        {
            p[RzTail + lane] = _w[WiRzAt + lane];
            p[RzTail + 16 + lane] = _w[BRzAt + lane];
        }
        return p;
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
            F8 uu = V8.Create(GateInput(u));
            F8 rIn = V8.FusedMultiplyAdd(wiR, uu, bR), zIn = V8.FusedMultiplyAdd(wiZ, uu, bZ), nIn = V8.FusedMultiplyAdd(wiN, uu, bIn);
            F8 h0 = Broadcast(h, 0), h1 = Broadcast(h, 1), h2 = Broadcast(h, 2), h3 = Broadcast(h, 3),
                h4 = Broadcast(h, 4), h5 = Broadcast(h, 5), h6 = Broadcast(h, 6), h7 = Broadcast(h, 7);
            // r first: it gates n, which is on the critical path; z is needed only at the end.
            F8 ar = FloatMath.ClampHalf(Gate(ref w, 0, rIn, h0, h1, h2, h3, h4, h5, h6, h7));
            F8 hn = Gate(ref w, 2 * H, bHn, h0, h1, h2, h3, h4, h5, h6, h7);
            F8 az = FloatMath.ClampHalf(Gate(ref w, H, zIn, h0, h1, h2, h3, h4, h5, h6, h7));
            h = Update(h, ar, FloatMath.TanhHalfRatio(ar), (az * V8.Create(FloatMath.HalfScale)) * FloatMath.TanhHalfRatio(az), hn, nIn);
            Unsafe.Add(ref y, t) = u + linB + V8.Sum(lin * h);
        }
        return h;
    }

    /// <summary>
    /// h' = (1 − z)·n + z·h from the clamped r pre-activation <paramref name="ar"/> and its ratio R (σ(a) = 1/2 + K·a·R(a)/2,
    /// <see cref="FloatMath.TanhHalfRatio(F8)"/>), z·2 − 1 = K·a_z·R(a_z) (<paramref name="zs"/>), W_hn h + b_hn
    /// (<paramref name="hn"/>) and 2(W_in u + b_in) (<paramref name="nIn2"/>). With r = (1 + K·a_r·R_r)/2 the doubled argument
    /// of n's tanh is y = 2v = (nIn2 + hn) + R_r·(hn·K·a_r), one FMA after the division; then n = tanh(y/2) = K·y·R(y), so
    /// h' = R(y)·(K·y·(1 − z)) + z·h, again one FMA after the division. Every product with y or a is off the critical path.
    /// <see cref="Run256"/> and <see cref="Step8"/> use it; <see cref="Step16"/> does the same on 16 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static F8 Update(F8 h, F8 ar, F8 ratioR, F8 zs, F8 hn, F8 nIn2)
    {
        F8 scale = V8.Create(FloatMath.HalfScale);
        F8 y = FloatMath.ClampHalf(V8.FusedMultiplyAdd(ratioR, hn * (ar * scale), nIn2 + hn));
        F8 half = V8.Create(0.5f);
        F8 z = V8.FusedMultiplyAdd(zs, half, half), oneMinusZ = V8.FusedMultiplyAdd(-zs, half, half);
        return V8.FusedMultiplyAdd(FloatMath.TanhHalfRatio(y), (y * scale) * oneMinusZ, z * h);
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
