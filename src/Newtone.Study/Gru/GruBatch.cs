using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>
/// The GRU over a batch of rows for training: forward through a chunk (rows in groups of four, one per
/// SIMD lane), the chunk loss of docs/model.md §7 (ESR of the pre-filtered prediction against the pre-filtered
/// target, pre-filter restarted per chunk, 1e-5 added to the denominator), and back-propagation through
/// time within the chunk (the incoming hidden state is a constant: truncated BPTT). Groups run in
/// parallel and their gradients are summed in a fixed order.
/// </summary>
internal sealed class GruBatch
{
    private const int H = GruModel.Hidden;
    private const int Lanes = 4;
    private readonly int _rows, _groups, _chunk;
    private readonly Group[] _state;
    // The parameters broadcast to every lane, once per chunk (W), and b_ih + b_hh of r and z (Brz).
    private readonly V[] _w = new V[GruModel.Count];
    private readonly V[] _brz = new V[2 * H];

    /// <summary>Denominator floor of the ESR loss.</summary>
    public const double Epsilon = 1e-5;

    private sealed class Group(int chunk)
    {
        // Per step: h_prev, r, z, n, hn (each H vectors), u and the prediction.
        public readonly V[] Store = new V[chunk * 5 * H];
        public readonly V[] U = new V[chunk];
        public readonly V[] Pred = new V[chunk];
        public readonly V[] Grad = new V[chunk];
        public readonly V[] Tgt = new V[chunk];
        public readonly V[] E = new V[chunk];
        public V Mask;
        public readonly V[] H0 = new V[H];
        public readonly double[] GradSum = new double[GruModel.Count];
        public readonly V[] Acc = new V[GruModel.Count];
        public double ErrorSum;
    }

    /// <summary>Prepares buffers for <paramref name="rows"/> rows and chunks of up to <paramref name="chunk"/> samples.</summary>
    public GruBatch(int rows, int chunk)
    {
        _rows = rows;
        _chunk = chunk;
        _groups = (rows + Lanes - 1) / Lanes;
        _state = Enumerable.Range(0, _groups).Select(_ => new Group(chunk)).ToArray();
    }

    /// <summary>Rows.</summary>
    public int Rows => _rows;

    /// <summary>Worker threads (default: all processors).</summary>
    public int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// One chunk: forward from hidden state <paramref name="hidden"/> ([row][H], updated to the state after
    /// the chunk), loss, and (when <paramref name="gradient"/> is not null) the gradient of the loss with respect
    /// to every parameter. <paramref name="inputs"/> and <paramref name="targets"/> give each row's chunk as
    /// (array, offset); <paramref name="length"/> samples are used. Returns the loss.
    /// </summary>
    public double Chunk(GruModel model, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int offset, int length,
        double[][] hidden, double[]? gradient, float[][]? predictions = null) =>
        Chunk(model, inputs, targets, Enumerable.Repeat(offset, _rows).ToArray(), length, hidden, gradient, predictions);

    /// <summary>
    /// As above with a start per row; indices wrap around each row's end, so a circularly shifted row is
    /// read in place (<c>rolled[n] = x[(n − s) mod T]</c> starts at <c>(c·L − s) mod T</c>).
    /// </summary>
    public double Chunk(GruModel model, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length,
        double[][] hidden, double[]? gradient, float[][]? predictions = null)
    {
        if (length > _chunk) throw new ArgumentOutOfRangeException(nameof(length));
        // Denominator: Σ P[t]² over every row (pre-filter restarted for the chunk).
        double energy = 0;
        for (int r = 0; r < _rows; r++)
        {
            var pf = new PreFilter();
            var tg = targets[r];
            for (int t = 0, i = starts[r]; t < length; t++, i = i + 1 == tg.Length ? 0 : i + 1)
            {
                double v = pf.Next(tg[i]);
                energy += v * v;
            }
        }
        double denom = energy + Epsilon;
        var pm = model.Parameters;
        for (int i = 0; i < GruModel.Count; i++) _w[i] = VS.Create(pm[i]);
        for (int k = 0; k < 2 * H; k++) _brz[k] = VS.Create(pm[GruModel.BihOffset + k] + pm[GruModel.BhhOffset + k]);
        var opts = new ParallelOptions { MaxDegreeOfParallelism = MaxThreads };
        void Run(int g)
        {
            var grp = _state[g];
            Forward(model, grp, g, inputs, targets, starts, length, hidden, predictions);
            if (gradient is not null) Backward(model, grp, length, denom);
        }
        if (_groups == 1 || MaxThreads <= 1) for (int g = 0; g < _groups; g++) Run(g);
        else Parallel.For(0, _groups, opts, Run);

        double error = 0;
        for (int g = 0; g < _groups; g++) error += _state[g].ErrorSum;
        if (gradient is not null)
        {
            Array.Clear(gradient);
            for (int g = 0; g < _groups; g++)
            {
                var src = _state[g].GradSum;
                for (int i = 0; i < gradient.Length; i++) gradient[i] += src[i];
            }
        }
        return error / denom;
    }



    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(GruModel m, Group grp, int g, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length,
        double[][] hidden, float[][]? predictions)
    {
        int r0 = g * Lanes;
        int lanes = Math.Min(Lanes, _rows - r0);
        // Gather the group's input and initial state (missing lanes: zero input, zero state).
        Span<double> ub = stackalloc double[Lanes], tb = stackalloc double[Lanes];
        Span<int> idx = stackalloc int[Lanes];
        for (int l = 0; l < lanes; l++) idx[l] = starts[r0 + l];
        for (int t = 0; t < length; t++)
        {
            ub.Clear();
            tb.Clear();
            for (int l = 0; l < lanes; l++)
            {
                var x = inputs[r0 + l];
                ub[l] = x[idx[l]];
                tb[l] = targets[r0 + l][idx[l]];
                if (++idx[l] == x.Length) idx[l] = 0;
            }
            grp.U[t] = VS.Create(ub[0], ub[1], ub[2], ub[3]);
            grp.Tgt[t] = VS.Create(tb[0], tb[1], tb[2], tb[3]);
        }
        grp.Mask = VS.Create(1.0, lanes > 1 ? 1 : 0, lanes > 2 ? 1 : 0, lanes > 3 ? 1 : 0);
        Span<V> h = stackalloc V[H];
        for (int k = 0; k < H; k++)
        {
            h[k] = VS.Create(hidden[r0][k], lanes > 1 ? hidden[r0 + 1][k] : 0, lanes > 2 ? hidden[r0 + 2][k] : 0, lanes > 3 ? hidden[r0 + 3][k] : 0);
            grp.H0[k] = h[k];
        }
        Span<V> r = stackalloc V[H], z = stackalloc V[H], hn = stackalloc V[H];
        V[] store = grp.Store;
        ref V w = ref MemoryMarshal.GetArrayDataReference(_w);
        ref V brz = ref MemoryMarshal.GetArrayDataReference(_brz);
        V linB = Unsafe.Add(ref w, GruModel.LinBOffset);
        for (int t = 0; t < length; t++)
        {
            V u = grp.U[t];
            int s = t * 5 * H;
            for (int k = 0; k < H; k++) store[s + k] = h[k];
            for (int k = 0; k < H; k++)
            {
                // Pre-activations of row k of each gate: W_i·u + b_i + Σ_j W_h[k, j]·h_j + b_h.
                int kr = k, kz = H + k, kn = 2 * H + k;
                V ar = Unsafe.Add(ref brz, kr) + Unsafe.Add(ref w, GruModel.WihOffset + kr) * u;
                V az = Unsafe.Add(ref brz, kz) + Unsafe.Add(ref w, GruModel.WihOffset + kz) * u;
                V an = Unsafe.Add(ref w, GruModel.BhhOffset + kn);
                ref V wr = ref Unsafe.Add(ref w, GruModel.WhhOffset + kr * H);
                ref V wz = ref Unsafe.Add(ref w, GruModel.WhhOffset + kz * H);
                ref V wn = ref Unsafe.Add(ref w, GruModel.WhhOffset + kn * H);
                for (int j = 0; j < H; j++)
                {
                    V hj = h[j];
                    ar = VS.FusedMultiplyAdd(Unsafe.Add(ref wr, j), hj, ar);
                    az = VS.FusedMultiplyAdd(Unsafe.Add(ref wz, j), hj, az);
                    an = VS.FusedMultiplyAdd(Unsafe.Add(ref wn, j), hj, an);
                }
                r[k] = VectorMath.Sigmoid(ar);
                z[k] = VectorMath.Sigmoid(az);
                hn[k] = an;
            }
            V outv = u + linB;
            for (int k = 0; k < H; k++)
            {
                int kn = 2 * H + k;
                V n = VectorMath.Tanh(Unsafe.Add(ref w, GruModel.BihOffset + kn) + Unsafe.Add(ref w, GruModel.WihOffset + kn) * u + r[k] * hn[k]);
                store[s + H + k] = r[k];
                store[s + 2 * H + k] = z[k];
                store[s + 3 * H + k] = n;
                store[s + 4 * H + k] = hn[k];
                h[k] = n + z[k] * (h[k] - n);   // (1 − z)·n + z·h
                outv = VS.FusedMultiplyAdd(Unsafe.Add(ref w, GruModel.LinWOffset + k), h[k], outv);
            }
            grp.Pred[t] = outv;
        }
        for (int l = 0; l < lanes; l++)
            for (int k = 0; k < H; k++) hidden[r0 + l][k] = h[k][l];

        // Loss numerator and its gradient with respect to the prediction (pre-filter and its adjoint).
        double err = 0;
        for (int l = 0; l < lanes; l++)
        {
            var pp = new PreFilter();
            var pt = new PreFilter();
            for (int t = 0; t < length; t++)
            {
                double pred = grp.Pred[t][l];
                if (predictions is not null) predictions[r0 + l][t] = (float)pred;
                double e = pp.Next(pred) - pt.Next(grp.Tgt[t][l]);
                err += e * e;
            }
        }
        grp.ErrorSum = err;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward(GruModel m, Group grp, int length, double denom)
    {
        // dL/dP[y] = 2(P[y] − P[t])/D, then through the pre-filter's adjoint, run backwards:
        //   μ[n] = g[n] + 0.995·μ[n+1],  dL/dy[n] = μ[n] − μ[n+1].
        var e = grp.E;
        {
            V pIn = V.Zero, pOut = V.Zero, tIn = V.Zero, tOut = V.Zero;
            V pole = VS.Create(PreFilter.Pole);
            V scale = VS.Create(2 / denom) * grp.Mask;   // lanes without a row contribute nothing
            for (int t = 0; t < length; t++)
            {
                V py = VS.FusedMultiplyAdd(pole, pOut, grp.Pred[t] - pIn);
                pIn = grp.Pred[t];
                pOut = py;
                V tv = grp.Tgt[t];
                V pt = VS.FusedMultiplyAdd(pole, tOut, tv - tIn);
                tIn = tv;
                tOut = pt;
                e[t] = (py - pt) * scale;
            }
            V mu = V.Zero, next = V.Zero;
            for (int t = length - 1; t >= 0; t--)
            {
                mu = VS.FusedMultiplyAdd(pole, mu, e[t]);
                grp.Grad[t] = mu - next;
                next = mu;
            }
        }

        Span<V> acc = grp.Acc;
        acc.Clear();
        ref V w = ref MemoryMarshal.GetArrayDataReference(_w);
        Span<V> carry = stackalloc V[H];
        Span<V> dh = stackalloc V[H];
        Span<V> dar = stackalloc V[H], daz = stackalloc V[H], dhn = stackalloc V[H];
        V[] store = grp.Store;
        for (int t = length - 1; t >= 0; t--)
        {
            int s = t * 5 * H;
            V go = grp.Grad[t];
            V u = grp.U[t];
            acc[GruModel.LinBOffset] += go;
            for (int k = 0; k < H; k++)
            {
                V hp = store[s + k], z = store[s + 2 * H + k], n = store[s + 3 * H + k];
                V hNew = n + z * (hp - n);
                acc[GruModel.LinWOffset + k] = VS.FusedMultiplyAdd(go, hNew, acc[GruModel.LinWOffset + k]);
                V delta = VS.FusedMultiplyAdd(go, Unsafe.Add(ref w, GruModel.LinWOffset + k), carry[k]);
                V r = store[s + H + k], hnk = store[s + 4 * H + k];
                V dn = delta * (V.One - z);
                V dz = delta * (hp - n);
                dh[k] = delta * z;
                V dan = dn * (V.One - n * n);
                int kr = k, kz = H + k, kn = 2 * H + k;
                acc[GruModel.WihOffset + kn] = VS.FusedMultiplyAdd(dan, u, acc[GruModel.WihOffset + kn]);
                acc[GruModel.BihOffset + kn] += dan;
                V dr = dan * hnk;
                dhn[k] = dan * r;
                acc[GruModel.BhhOffset + kn] += dhn[k];
                daz[k] = dz * z * (V.One - z);
                dar[k] = dr * r * (V.One - r);
                acc[GruModel.WihOffset + kz] = VS.FusedMultiplyAdd(daz[k], u, acc[GruModel.WihOffset + kz]);
                acc[GruModel.BihOffset + kz] += daz[k];
                acc[GruModel.BhhOffset + kz] += daz[k];
                acc[GruModel.WihOffset + kr] = VS.FusedMultiplyAdd(dar[k], u, acc[GruModel.WihOffset + kr]);
                acc[GruModel.BihOffset + kr] += dar[k];
                acc[GruModel.BhhOffset + kr] += dar[k];
            }
            // Recurrent weights: dW_h[k, j] += da_k·h_j; and dL/dh_prev_j += Σ_k W_h[k, j]·da_k.
            for (int k = 0; k < H; k++)
            {
                int wr = GruModel.WhhOffset + k * H, wz = GruModel.WhhOffset + (H + k) * H, wn = GruModel.WhhOffset + (2 * H + k) * H;
                V a1 = dar[k], a2 = daz[k], a3 = dhn[k];
                for (int j = 0; j < H; j++)
                {
                    V hj = store[s + j];
                    acc[wr + j] = VS.FusedMultiplyAdd(a1, hj, acc[wr + j]);
                    acc[wz + j] = VS.FusedMultiplyAdd(a2, hj, acc[wz + j]);
                    acc[wn + j] = VS.FusedMultiplyAdd(a3, hj, acc[wn + j]);
                    dh[j] = VS.FusedMultiplyAdd(Unsafe.Add(ref w, wr + j), a1,
                        VS.FusedMultiplyAdd(Unsafe.Add(ref w, wz + j), a2, VS.FusedMultiplyAdd(Unsafe.Add(ref w, wn + j), a3, dh[j])));
                }
            }
            dh.CopyTo(carry);
        }
        var sum = grp.GradSum;
        for (int i = 0; i < GruModel.Count; i++) sum[i] = acc[i][0] + acc[i][1] + acc[i][2] + acc[i][3];
    }
}
