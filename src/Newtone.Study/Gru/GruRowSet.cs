using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<float>;
using V8 = System.Runtime.Intrinsics.Vector256;
using VS = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Study;

/// <summary>
/// One to four rows of a <see cref="GruBatchSingle"/> chunk computed with each row's eight hidden units across one half of
/// a 16-float vector (two rows a vector, two vectors side by side), instead of eight rows across the lanes of the batch's
/// groups: the rows left over after the groups of eight, which would otherwise fill a group's lanes with nothing (26
/// rows: a fourth group for the last 2 would cost as much as a full one; here they cost about a third of one). The same
/// equations as <see cref="GruBatchSingle"/> (docs/model.md §7), with σ and tanh from <see cref="FloatMath"/>'s rational
/// function and the chunk loss's pre-filter in double. Every matrix–vector product needs each element of a vector in
/// every lane: with <see cref="GruStream"/>'s own code (<see cref="GruStream.Rotations"/>, <see cref="GruStream.WideGate"/>),
/// each half's 128-bit quarters are rotated in place (vpermilps) and swapped once (vshuff32x4), and the weights are stored in
/// the matching diagonal order, W's columns for the forward pass (Σ_j W[:, j]·h_j) and its rows for back-propagation
/// (dL/dh_prev = Σ_k W[k, :]·da_k); the weight gradients
/// W[k, j] += da_k·h_j are summed in the same rotated order and put back in place when the float sums are flushed into
/// double, every <see cref="Flush"/> steps as the batch's. Runs where <see cref="Supported"/> (AVX-512).
/// </summary>
internal sealed class GruRowSet
{
    private const int H = GruModel.Hidden;
    /// <summary>Steps between flushes of the float gradient sums into double: the batch's.</summary>
    public const int Flush = GruBatchSingle.Flush;
    /// <summary>Whether this processor runs the row set (AVX-512F and 512-bit vectors accelerated).</summary>
    public static bool Supported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
    // A step's record in the store: h_prev, r, z, n and W_hn·h_prev + b_hn, one 16-float vector each (row A low, B high).
    private const int Rec = 5, RH = 0, RR = 1, RZ = 2, RN = 3, RHN = 4;
    // The weights as 16-float vectors, both halves alike (Prepare): per gate g (r, z, n) at 8g the forward pass's diagonals
    // WR_0..3, WS_0..3; at Back + 8g back-propagation's; then W_ir, W_iz, 2·W_in, b_ir + b_hr, b_iz + b_hz, 2·b_in, b_hn and the
    // Linear layer's weight.
    private const int Back = 3 * H, WiR = 6 * H, WiZ = WiR + 1, WiN = WiR + 2, BR = WiR + 3, BZ = WiR + 4, BIn = WiR + 5, BHn = WiR + 6,
        LinW = WiR + 7, WeightCount = LinW + 1;
    // The float gradient sums: dW_h per gate in the rotated order (8g + m: Σ rot_m(da_g)·h), then dW_ir, dW_iz, dW_in,
    // db_ir (= db_hr), db_iz (= db_hz), db_in, db_hn, dLinear.weight, dLinear.bias (in every lane).
    private const int AccWi = 3 * H, AccBR = AccWi + 3, AccBZ = AccWi + 4, AccBN = AccWi + 5, AccBHn = AccWi + 6, AccLinW = AccWi + 7,
        AccLinB = AccWi + 8, AccCount = AccWi + 9;
    private readonly int[] _rows;
    // Pairs: rows 2p and 2p + 1 share pair p's vectors (low and high half).
    private readonly int _pairs;
    // Weights, store and sums on 64-byte boundaries (a 16-float vector never spans two cache lines).
    private readonly AlignedBuffer _w = new(WeightCount * 16);
    private float _linB;
    private readonly AlignedBuffer[] _store;
    // Per row slot (two a pair; a slot without a row: zero input, target and dL/dout, so no gradient, and outside the loss).
    private readonly float[][] _u, _tgt, _g, _pred;
    // Per pair: the float gradient sums (AccCount vectors each) and the carry between back-propagation segments.
    private readonly AlignedBuffer _acc;
    private readonly V[] _carry = new V[2];
    // The loss's pre-filter states (input, output; prediction then target) and sums per row, between forward segments.
    private readonly double[] _pIn = new double[4], _pOut = new double[4], _tIn = new double[4], _tOut = new double[4], _err = new double[4], _energy = new double[4];

    /// <summary>For rows <paramref name="rows"/> (one to four) of a batch and chunks of up to <paramref name="chunk"/> samples.</summary>
    public GruRowSet(int[] rows, int chunk)
    {
        if (rows.Length is < 1 or > MaxRows) throw new ArgumentException("one to four rows", nameof(rows));
        if (!Supported) throw new PlatformNotSupportedException("the row set needs AVX-512");
        _rows = rows;
        _pairs = (rows.Length + 1) / 2;
        _store = Enumerable.Range(0, _pairs).Select(_ => new AlignedBuffer((chunk + 1) * Rec * 16)).ToArray();
        _acc = new AlignedBuffer(2 * AccCount * 16);
        _u = Enumerable.Range(0, 2 * _pairs).Select(_ => new float[chunk]).ToArray();
        _tgt = Enumerable.Range(0, 2 * _pairs).Select(_ => new float[chunk]).ToArray();
        _g = Enumerable.Range(0, 2 * _pairs).Select(_ => new float[chunk]).ToArray();
        _pred = Enumerable.Range(0, 2 * _pairs).Select(_ => new float[chunk]).ToArray();
    }

    /// <summary>The most rows a set computes.</summary>
    public const int MaxRows = 4;

    /// <summary>Pairs of rows (1 or 2): a step costs about this many times one pair's step.</summary>
    public int Pairs => _pairs;

    /// <summary>The gradient sums in double (the loss's factor 2/D not applied), after back-propagation.</summary>
    public readonly double[] GradSum = new double[GruModel.Count];

    /// <summary>Σ e² over the set's rows, after the forward pass.</summary>
    public double ErrorSum { get; private set; }

    /// <summary>Σ P[target]² over the set's rows, after the forward pass.</summary>
    public double Energy { get; private set; }

    /// <summary>The weights for a chunk: the model's parameters as floats and b_ih + b_hh of r and z (as the batch has them).</summary>
    public void Prepare(float[] wf, float[] brz)
    {
        Span<V> w = _w.As<V>();
        Span<float> v = stackalloc float[16];
        for (int gate = 0; gate < 3; gate++)
            for (int d = 0; d < 8; d++)
            {
                // Forward: lane of unit i meets h_j, j = Diagonal: W[i, j]. Back: lane of unit j meets da_k, k = Diagonal: W[k, j].
                for (int lane = 0; lane < 16; lane++) v[lane] = wf[GruModel.WhhOffset + (gate * H + lane % H) * H + GruStream.Diagonal(lane, d)];
                w[8 * gate + d] = VS.Create<float>(v);
                for (int lane = 0; lane < 16; lane++) v[lane] = wf[GruModel.WhhOffset + (gate * H + GruStream.Diagonal(lane, d)) * H + lane % H];
                w[Back + 8 * gate + d] = VS.Create<float>(v);
            }
        V Twice(ReadOnlySpan<float> eight) => VS.Create(V8.Create(eight), V8.Create(eight));
        w[WiR] = Twice(wf.AsSpan(GruModel.WihOffset, H));
        w[WiZ] = Twice(wf.AsSpan(GruModel.WihOffset + H, H));
        // W_in and b_in doubled (exact): the step needs 2(W_in u + b_in).
        Span<float> twice = stackalloc float[H];
        for (int k = 0; k < H; k++) twice[k] = 2 * wf[GruModel.WihOffset + 2 * H + k];
        w[WiN] = Twice(twice);
        w[BR] = Twice(brz.AsSpan(0, H));
        w[BZ] = Twice(brz.AsSpan(H, H));
        for (int k = 0; k < H; k++) twice[k] = 2 * wf[GruModel.BihOffset + 2 * H + k];
        w[BIn] = Twice(twice);
        w[BHn] = Twice(wf.AsSpan(GruModel.BhhOffset + 2 * H, H));
        w[LinW] = Twice(wf.AsSpan(GruModel.LinWOffset, H));
        _linB = wf[GruModel.LinBOffset];
    }

    /// <summary>Each row's input and target for the chunk (read in place from its start, wrapping), and its hidden state.</summary>
    public void Gather(IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length, double[][] hidden)
    {
        Span<float> h = stackalloc float[32];
        h.Clear();
        for (int i = 0; i < 2 * _pairs; i++)
        {
            if (i < _rows.Length)
            {
                int r = _rows[i];
                int period = inputs[r].Length;
                GruBatchSingle.Segment(inputs[r], period, starts[r], _u[i].AsSpan(0, length));
                GruBatchSingle.Segment(targets[r], period, starts[r], _tgt[i].AsSpan(0, length));
                for (int k = 0; k < H; k++) h[8 * i + k] = (float)hidden[r][k];
            }
            _pIn[i] = _pOut[i] = _tIn[i] = _tOut[i] = _err[i] = _energy[i] = 0;
        }
        for (int p = 0; p < _pairs; p++) _store[p].As<V>()[RH] = VS.Create<float>(h.Slice(16 * p, 16));
    }

    /// <summary>[a, a, … | b, b, …]: one value per half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Halves(float a, float b) => VS.Create(V8.Create(a), V8.Create(b));

    /// <summary>
    /// One step of both rows from the record <paramref name="rec"/> with h_prev = <paramref name="h"/> (r, z, n and hn written
    /// into it, h' into the next record's first vector, and returned): a = W_i u + b + W_h h_prev, r = σ(a_r), z = σ(a_z),
    /// n = tanh(W_in u + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h_prev.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Step(ref V w, ref V rec, V h, V u)
    {
        ref float wf = ref Unsafe.As<V, float>(ref w);
        GruStream.Rotations(h, out V x1, out V x2, out V x3, out V y0, out V y1, out V y2, out V y3);
        V ar = FloatMath.ClampHalf(GruStream.WideGate(ref wf, 0, VS.FusedMultiplyAdd(Unsafe.Add(ref w, WiR), u, Unsafe.Add(ref w, BR)), h, x1, x2, x3, y0, y1, y2, y3));
        V ratioR = FloatMath.TanhHalfRatio(ar);
        V hn = GruStream.WideGate(ref wf, 16 * 2 * H, Unsafe.Add(ref w, BHn), h, x1, x2, x3, y0, y1, y2, y3);
        V az = FloatMath.ClampHalf(GruStream.WideGate(ref wf, 16 * H, VS.FusedMultiplyAdd(Unsafe.Add(ref w, WiZ), u, Unsafe.Add(ref w, BZ)), h, x1, x2, x3, y0, y1, y2, y3));
        // σ(a) = 1/2 + K·a·R(a)/2 and tanh v = K·y·R(y) with y = 2v (FloatMath), arranged as GruStream's step so that one
        // multiply-add follows each division on the step's critical path: y = 2(W_in u + b_in) + hn + R(a_r)·(hn·K·a_r)
        // (= 2(W_in u + b_in + r·hn)), h' = R(y)·(K·y·(1 − z)) + z·h. r and n, for back-propagation, off that path.
        V scale = VS.Create(FloatMath.HalfScale), half = VS.Create(0.5f);
        V ks = ar * scale;
        V yy = FloatMath.ClampHalf(VS.FusedMultiplyAdd(ratioR, hn * ks, VS.FusedMultiplyAdd(Unsafe.Add(ref w, WiN), u, Unsafe.Add(ref w, BIn)) + hn));
        V ratioN = FloatMath.TanhHalfRatio(yy);
        V zs = (az * scale) * FloatMath.TanhHalfRatio(az);
        V z = VS.FusedMultiplyAdd(zs, half, half), oneMinusZ = VS.FusedMultiplyAdd(-zs, half, half);
        V ky = yy * scale;
        V next = VS.FusedMultiplyAdd(ratioN, ky * oneMinusZ, z * h);
        V r = VS.FusedMultiplyAdd(ks * ratioR, half, half);
        V n = ky * ratioN;
        Unsafe.Add(ref rec, RR) = r;
        Unsafe.Add(ref rec, RZ) = z;
        Unsafe.Add(ref rec, RN) = n;
        Unsafe.Add(ref rec, RHN) = hn;
        Unsafe.Add(ref rec, Rec + RH) = next;
        return next;
    }

    /// <summary>Forward steps [<paramref name="t0"/>, <paramref name="t1"/>) of both rows, and the loss's sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(int t0, int t1)
    {
        ref V w = ref Unsafe.As<float, V>(ref _w.First);
        float linB = _linB;
        V lin = Unsafe.Add(ref w, LinW);
        ref V st = ref Unsafe.As<float, V>(ref _store[0].First);
        float[] u0 = _u[0], u1 = _u[1], p0 = _pred[0], p1 = _pred[1];
        V h = Unsafe.Add(ref st, t0 * Rec);
        if (_pairs == 2)
        {
            // The two pairs' steps side by side: two independent chains.
            ref V st2 = ref Unsafe.As<float, V>(ref _store[1].First);
            float[] u2 = _u[2], u3 = _u[3], p2 = _pred[2], p3 = _pred[3];
            V h2 = Unsafe.Add(ref st2, t0 * Rec);
            for (int t = t0; t < t1; t++)
            {
                float a = u0[t], b = u1[t], c = u2[t], d = u3[t];
                h = Step(ref w, ref Unsafe.Add(ref st, t * Rec), h, Halves(a, b));
                h2 = Step(ref w, ref Unsafe.Add(ref st2, t * Rec), h2, Halves(c, d));
                // out = u + w·h' + b
                V o = lin * h, o2 = lin * h2;
                p0[t] = V8.Sum(o.GetLower()) + (a + linB);
                p1[t] = V8.Sum(o.GetUpper()) + (b + linB);
                p2[t] = V8.Sum(o2.GetLower()) + (c + linB);
                p3[t] = V8.Sum(o2.GetUpper()) + (d + linB);
            }
        }
        else
        {
            for (int t = t0; t < t1; t++)
            {
                float a = u0[t], b = u1[t];
                h = Step(ref w, ref Unsafe.Add(ref st, t * Rec), h, Halves(a, b));
                V o = lin * h;
                p0[t] = V8.Sum(o.GetLower()) + (a + linB);
                p1[t] = V8.Sum(o.GetUpper()) + (b + linB);
            }
        }
        // The loss in double (GruBatchSingle's, lane for lane): p[n] = s[n] − s[n−1] + 0.995·p[n−1] for the prediction and
        // the target, e = P[out] − P[target].
        for (int i = 0; i < _rows.Length; i++)
        {
            double pIn = _pIn[i], pOut = _pOut[i], tIn = _tIn[i], tOut = _tOut[i], err = _err[i], energy = _energy[i];
            float[] pred = _pred[i], tgt = _tgt[i], g = _g[i];
            for (int t = t0; t < t1; t++)
            {
                double y = pred[t], gt = tgt[t];
                double py = Math.FusedMultiplyAdd(PreFilter.Pole, pOut, y - pIn), pt = Math.FusedMultiplyAdd(PreFilter.Pole, tOut, gt - tIn);
                (pIn, pOut, tIn, tOut) = (y, py, gt, pt);
                double e = py - pt;
                err = Math.FusedMultiplyAdd(e, e, err);
                energy = Math.FusedMultiplyAdd(pt, pt, energy);
                g[t] = (float)e;
            }
            (_pIn[i], _pOut[i], _tIn[i], _tOut[i], _err[i], _energy[i]) = (pIn, pOut, tIn, tOut, err, energy);
        }
    }

    /// <summary>After the forward pass: the loss sums, each row's state after the chunk, and its predictions if asked.</summary>
    public void Finish(int length, double[][] hidden, float[][]? predictions)
    {
        double e = 0, en = 0;
        for (int i = 0; i < _rows.Length; i++)
        {
            e += _err[i];
            en += _energy[i];
            V h = _store[i / 2].As<V>()[length * Rec + RH];
            for (int k = 0; k < H; k++) hidden[_rows[i]][k] = h[8 * (i % 2) + k];
            if (predictions is not null) _pred[i].AsSpan(0, length).CopyTo(predictions[_rows[i]]);
        }
        (ErrorSum, Energy) = (e, en);
    }

    /// <summary>
    /// One back-propagation step of both rows from dL/dout <paramref name="go"/> and the carry dL/dh' (updated to dL/dh_prev):
    ///   δ = dL/dout·w + carry,  t = δ(1 − z),  da_n = t(1 − n²),  dhn = da_n·r,  da_r = dhn·hn·(1 − r),  da_z = t·z·(h − n),
    ///   dL/dh_prev = δ·z + Σ_k (W_hr[k, :]·da_r,k + W_hz[k, :]·da_z,k + W_hn[k, :]·dhn_k),
    /// and the gradient sums: dW_h[g, k, j] += da_g,k·h_j (g = n with dhn; in the rotated order), dW_i += da·u,
    /// db_i += da (n: da_n), db_hn += dhn, dLinear.weight += dL/dout·h', dLinear.bias += dL/dout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V BackStep(ref V w, ref V rec, ref V acc, V carry, V go, V u)
    {
        V delta = VS.FusedMultiplyAdd(go, Unsafe.Add(ref w, LinW), carry);
        V h = rec, r = Unsafe.Add(ref rec, RR), z = Unsafe.Add(ref rec, RZ), n = Unsafe.Add(ref rec, RN), hn = Unsafe.Add(ref rec, RHN);
        V t = delta * (V.One - z);
        V dan = t * VS.FusedMultiplyAdd(-n, n, V.One);
        V dhn = dan * r;
        V dar = dhn * hn * (V.One - r);
        V daz = t * z * (h - n);
        V dh = Transposed(ref Unsafe.Add(ref w, Back), ref acc, delta * z, dar, h);
        dh += Transposed(ref Unsafe.Add(ref w, Back + H), ref Unsafe.Add(ref acc, H), V.Zero, daz, h);
        dh += Transposed(ref Unsafe.Add(ref w, Back + 2 * H), ref Unsafe.Add(ref acc, 2 * H), V.Zero, dhn, h);
        Unsafe.Add(ref acc, AccWi) = VS.FusedMultiplyAdd(dar, u, Unsafe.Add(ref acc, AccWi));
        Unsafe.Add(ref acc, AccWi + 1) = VS.FusedMultiplyAdd(daz, u, Unsafe.Add(ref acc, AccWi + 1));
        Unsafe.Add(ref acc, AccWi + 2) = VS.FusedMultiplyAdd(dan, u, Unsafe.Add(ref acc, AccWi + 2));
        Unsafe.Add(ref acc, AccBR) += dar;
        Unsafe.Add(ref acc, AccBZ) += daz;
        Unsafe.Add(ref acc, AccBN) += dan;
        Unsafe.Add(ref acc, AccBHn) += dhn;
        Unsafe.Add(ref acc, AccLinW) = VS.FusedMultiplyAdd(go, Unsafe.Add(ref rec, Rec + RH), Unsafe.Add(ref acc, AccLinW));
        Unsafe.Add(ref acc, AccLinB) += go;
        return dh;
    }

    /// <summary>
    /// init + Σ_k W[k, :]·da_k for one gate (its back-propagation diagonals at <paramref name="w"/>), and the gate's weight
    /// gradient sums in the same order: <paramref name="acc"/>[d] += X_d ⊙ h, X_d the rotations of <paramref name="da"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Transposed(ref V w, ref V acc, V init, V da, V h)
    {
        GruStream.Rotations(da, out V x1, out V x2, out V x3, out V y0, out V y1, out V y2, out V y3);
        acc = VS.FusedMultiplyAdd(da, h, acc);
        Unsafe.Add(ref acc, 1) = VS.FusedMultiplyAdd(x1, h, Unsafe.Add(ref acc, 1));
        Unsafe.Add(ref acc, 2) = VS.FusedMultiplyAdd(x2, h, Unsafe.Add(ref acc, 2));
        Unsafe.Add(ref acc, 3) = VS.FusedMultiplyAdd(x3, h, Unsafe.Add(ref acc, 3));
        Unsafe.Add(ref acc, 4) = VS.FusedMultiplyAdd(y0, h, Unsafe.Add(ref acc, 4));
        Unsafe.Add(ref acc, 5) = VS.FusedMultiplyAdd(y1, h, Unsafe.Add(ref acc, 5));
        Unsafe.Add(ref acc, 6) = VS.FusedMultiplyAdd(y2, h, Unsafe.Add(ref acc, 6));
        Unsafe.Add(ref acc, 7) = VS.FusedMultiplyAdd(y3, h, Unsafe.Add(ref acc, 7));
        return GruStream.WideGate(ref Unsafe.As<V, float>(ref w), 0, init, da, x1, x2, x3, y0, y1, y2, y3);
    }

    /// <summary>
    /// Back-propagation through steps [<paramref name="stop"/>, <paramref name="from"/>) of a chunk of
    /// <paramref name="length"/> steps, backwards; the segment that starts at the chunk's end first runs the pre-filter's
    /// adjoint and clears the sums and the carry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(int length, int from, int stop)
    {
        if (from == length)
        {
            // dL/dP[y] = e, through the pre-filter's adjoint backwards (GruBatchSingle's, lane for lane):
            //   μ[n] = e[n] + 0.995·μ[n+1],  dL/dy[n] = μ[n] − μ[n+1].  A missing second row: zero.
            for (int i = 0; i < 2 * _pairs; i++)
            {
                float[] g = _g[i];
                if (i >= _rows.Length)
                {
                    Array.Clear(g);
                    continue;
                }
                float pole = (float)PreFilter.Pole, mu = 0, prev = 0;
                for (int t = length - 1; t >= 0; t--)
                {
                    mu = MathF.FusedMultiplyAdd(pole, mu, g[t]);
                    g[t] = mu - prev;
                    prev = mu;
                }
            }
            Array.Clear(_carry);
            _acc.As<V>().Clear();
            Array.Clear(GradSum);
        }
        // Down to each flush (after steps length − Flush, length − 2·Flush, …, and 0).
        int m = length % Flush, next = from;
        while (next > stop)
        {
            int flushAt = next - 1 >= m ? (next - 1 - m) / Flush * Flush + m : 0;
            int end = Math.Max(stop, flushAt);
            Steps(next, end);
            if (end == flushAt) FlushSums();
            next = end;
        }
    }

    /// <summary>
    /// Back-propagation steps <paramref name="from"/> − 1 down to <paramref name="stop"/>, from the carries and back into
    /// them: a loop of its own, with no call in it, so that the carries stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Steps(int from, int stop)
    {
        ref V w = ref Unsafe.As<float, V>(ref _w.First);
        ref V acc = ref Unsafe.As<float, V>(ref _acc.First);
        ref V st = ref Unsafe.As<float, V>(ref _store[0].First);
        float[] g0 = _g[0], g1 = _g[1], u0 = _u[0], u1 = _u[1];
        V carry = _carry[0];
        if (_pairs == 2)
        {
            ref V acc2 = ref Unsafe.Add(ref acc, AccCount);
            ref V st2 = ref Unsafe.As<float, V>(ref _store[1].First);
            float[] g2 = _g[2], g3 = _g[3], u2 = _u[2], u3 = _u[3];
            V carry2 = _carry[1];
            for (int s = from - 1; s >= stop; s--)
            {
                carry = BackStep(ref w, ref Unsafe.Add(ref st, s * Rec), ref acc, carry, Halves(g0[s], g1[s]), Halves(u0[s], u1[s]));
                carry2 = BackStep(ref w, ref Unsafe.Add(ref st2, s * Rec), ref acc2, carry2, Halves(g2[s], g3[s]), Halves(u2[s], u3[s]));
            }
            _carry[1] = carry2;
        }
        else
        {
            for (int s = from - 1; s >= stop; s--)
                carry = BackStep(ref w, ref Unsafe.Add(ref st, s * Rec), ref acc, carry, Halves(g0[s], g1[s]), Halves(u0[s], u1[s]));
        }
        _carry[0] = carry;
    }

    /// <summary>The float sums into <see cref="GradSum"/> (in double; dW_h put back from the rotated order), and cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FlushSums()
    {
        double[] sum = GradSum;
        ReadOnlySpan<int> to = Destinations;
        for (int p = 0; p < _pairs; p++)
        {
            ReadOnlySpan<float> a = _acc.As<float>().Slice(p * AccCount * 16, AccCount * 16);
            for (int i = 0; i < to.Length; i++) sum[to[i]] += a[i];
            // b_hh of r and z: b_ih's sums (the same da).
            for (int lane = 0; lane < 16; lane++)
            {
                sum[GruModel.BhhOffset + lane % H] += a[16 * AccBR + lane];
                sum[GruModel.BhhOffset + H + lane % H] += a[16 * AccBZ + lane];
            }
            sum[GruModel.LinBOffset] += a[16 * AccLinB] + a[16 * AccLinB + H];
        }
        _acc.As<V>().Clear();
    }

    /// <summary>
    /// Where each lane of the float sums (up to dLinear.bias) belongs in the gradient: dW_h's rotated sums (the lane of unit j
    /// of diagonal d met da_k, k = <see cref="GruStream.Diagonal"/>: W[k, j]), then the vectors over units.
    /// </summary>
    private static readonly int[] Destinations = MakeDestinations();

    private static int[] MakeDestinations()
    {
        var to = new int[16 * AccLinB];
        for (int gate = 0; gate < 3; gate++)
            for (int d = 0; d < 8; d++)
                for (int lane = 0; lane < 16; lane++)
                    to[16 * (8 * gate + d) + lane] = GruModel.WhhOffset + (gate * H + GruStream.Diagonal(lane, d)) * H + lane % H;
        int[] first = [GruModel.WihOffset, GruModel.WihOffset + H, GruModel.WihOffset + 2 * H, GruModel.BihOffset, GruModel.BihOffset + H,
            GruModel.BihOffset + 2 * H, GruModel.BhhOffset + 2 * H, GruModel.LinWOffset];
        for (int v = 0; v < first.Length; v++)
            for (int lane = 0; lane < 16; lane++) to[16 * (AccWi + v) + lane] = first[v] + lane % H;
        return to;
    }
}

