using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Newtone.Study;

/// <summary>
/// <see cref="GruBatch"/>'s kernels, generic over the SIMD vector <typeparamref name="T"/> (one row per lane): forward through a
/// chunk, the chunk loss of docs/model.md §7 and back-propagation through time. Every buffer is allocated once; the
/// parameters are broadcast into vectors once per chunk; groups of <c>T.Count</c> rows run in parallel and their gradients
/// are summed in a fixed order, so results do not depend on the number of threads.
/// </summary>
internal sealed class GruLanes<T> where T : unmanaged, ILanes<T>
{
    private const int H = GruModel.Hidden;
    private const int PerStep = 5 * H;   // h_prev, r, z, n, W_hn·h + b_hn
    private readonly int _rows, _groups, _chunk;
    private readonly Group[] _state;
    // The parameters broadcast to every lane (W), and b_ih + b_hh for r and z (Brz).
    private readonly T[] _w = new T[GruModel.Count];
    private readonly T[] _brz = new T[2 * H];
    private readonly ParallelOptions _parallel = new();
    private readonly Action<int> _run;
    // The current chunk's arguments (read by _run).
    private IReadOnlyList<float[]> _inputs = [], _targets = [];
    private int[] _starts = [];
    private int _length;
    private double[][] _hidden = [];
    private bool _gradient;
    private double _denom;
    private float[][]? _predictions;

    private sealed class Group(int chunk)
    {
        public readonly T[] Store = new T[chunk * PerStep];
        public readonly T[] U = new T[chunk];
        public readonly T[] Pred = new T[chunk];
        public readonly T[] Grad = new T[chunk];
        public readonly T[] Tgt = new T[chunk];
        public readonly T[] Acc = new T[GruModel.Count];
        public readonly double[] GradSum = new double[GruModel.Count];
        public T Mask;
        public double ErrorSum;
    }

    public GruLanes(int rows, int chunk)
    {
        _rows = rows;
        _chunk = chunk;
        _groups = (rows + T.Count - 1) / T.Count;
        _state = Enumerable.Range(0, _groups).Select(_ => new Group(chunk)).ToArray();
        _run = Run;
    }

    public double Chunk(GruModel model, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length,
        double[][] hidden, double[]? gradient, float[][]? predictions, int maxThreads)
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
        var p = model.Parameters;
        for (int i = 0; i < GruModel.Count; i++) _w[i] = T.Create(p[i]);
        for (int k = 0; k < 2 * H; k++) _brz[k] = T.Create(p[GruModel.BihOffset + k] + p[GruModel.BhhOffset + k]);
        (_inputs, _targets, _starts, _length, _hidden, _gradient, _denom, _predictions) =
            (inputs, targets, starts, length, hidden, gradient is not null, energy + GruBatch.Epsilon, predictions);
        if (_groups == 1 || maxThreads <= 1) for (int g = 0; g < _groups; g++) Run(g);
        else
        {
            _parallel.MaxDegreeOfParallelism = maxThreads;
            Parallel.For(0, _groups, _parallel, _run);
        }
        (_inputs, _targets, _hidden, _predictions) = ([], [], [], null);

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
        return error / _denom;
    }

    private void Run(int g)
    {
        var grp = _state[g];
        Forward(grp, g);
        if (_gradient) Backward(grp);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(Group grp, int g)
    {
        int lanesCount = T.Count;
        int r0 = g * lanesCount;
        int lanes = Math.Min(lanesCount, _rows - r0);
        int length = _length;
        // Gather the group's input and initial state (missing lanes: zero input, zero state).
        Span<double> ub = stackalloc double[lanesCount], tb = stackalloc double[lanesCount];
        Span<int> idx = stackalloc int[lanesCount];
        for (int l = 0; l < lanes; l++) idx[l] = _starts[r0 + l];
        for (int t = 0; t < length; t++)
        {
            for (int l = 0; l < lanes; l++)
            {
                var x = _inputs[r0 + l];
                ub[l] = x[idx[l]];
                tb[l] = _targets[r0 + l][idx[l]];
                if (++idx[l] == x.Length) idx[l] = 0;
            }
            grp.U[t] = T.Create(ub);
            grp.Tgt[t] = T.Create(tb);
        }
        for (int l = 0; l < lanesCount; l++) ub[l] = l < lanes ? 1 : 0;
        grp.Mask = T.Create(ub);
        Span<T> h = stackalloc T[H];
        for (int k = 0; k < H; k++)
        {
            for (int l = 0; l < lanesCount; l++) ub[l] = l < lanes ? _hidden[r0 + l][k] : 0;
            h[k] = T.Create(ub);
        }
        Span<T> r = stackalloc T[H], z = stackalloc T[H], hn = stackalloc T[H];
        ref T w = ref MemoryMarshal.GetArrayDataReference(_w);
        ref T brz = ref MemoryMarshal.GetArrayDataReference(_brz);
        ref T store = ref MemoryMarshal.GetArrayDataReference(grp.Store);
        T linB = Unsafe.Add(ref w, GruModel.LinBOffset);
        for (int t = 0; t < length; t++)
        {
            T u = grp.U[t];
            ref T st = ref Unsafe.Add(ref store, t * PerStep);
            for (int k = 0; k < H; k++) Unsafe.Add(ref st, k) = h[k];
            for (int k = 0; k < H; k++)
            {
                // Pre-activations of row k of each gate: W_i·u + b_i + Σ_j W_h[k, j]·h_j + b_h.
                int kr = k, kz = H + k, kn = 2 * H + k;
                T ar = T.Fma(Unsafe.Add(ref w, GruModel.WihOffset + kr), u, Unsafe.Add(ref brz, kr));
                T az = T.Fma(Unsafe.Add(ref w, GruModel.WihOffset + kz), u, Unsafe.Add(ref brz, kz));
                T an = Unsafe.Add(ref w, GruModel.BhhOffset + kn);
                ref T wr = ref Unsafe.Add(ref w, GruModel.WhhOffset + kr * H);
                ref T wz = ref Unsafe.Add(ref w, GruModel.WhhOffset + kz * H);
                ref T wn = ref Unsafe.Add(ref w, GruModel.WhhOffset + kn * H);
                for (int j = 0; j < H; j++)
                {
                    T hj = h[j];
                    ar = T.Fma(Unsafe.Add(ref wr, j), hj, ar);
                    az = T.Fma(Unsafe.Add(ref wz, j), hj, az);
                    an = T.Fma(Unsafe.Add(ref wn, j), hj, an);
                }
                r[k] = T.Sigmoid(ar);
                z[k] = T.Sigmoid(az);
                hn[k] = an;
            }
            T outv = u + linB;
            for (int k = 0; k < H; k++)
            {
                int kn = 2 * H + k;
                T n = T.Tanh(T.Fma(Unsafe.Add(ref w, GruModel.WihOffset + kn), u, Unsafe.Add(ref w, GruModel.BihOffset + kn)) + r[k] * hn[k]);
                Unsafe.Add(ref st, H + k) = r[k];
                Unsafe.Add(ref st, 2 * H + k) = z[k];
                Unsafe.Add(ref st, 3 * H + k) = n;
                Unsafe.Add(ref st, 4 * H + k) = hn[k];
                h[k] = T.Fma(z[k], h[k] - n, n);   // (1 − z)·n + z·h
                outv = T.Fma(Unsafe.Add(ref w, GruModel.LinWOffset + k), h[k], outv);
            }
            grp.Pred[t] = outv;
        }
        for (int l = 0; l < lanes; l++)
            for (int k = 0; k < H; k++) _hidden[r0 + l][k] = h[k][l];

        // Loss numerator (pre-filtered prediction against pre-filtered target, per row).
        double err = 0;
        for (int l = 0; l < lanes; l++)
        {
            var pp = new PreFilter();
            var pt = new PreFilter();
            float[]? pred = _predictions?[r0 + l];
            for (int t = 0; t < length; t++)
            {
                double y = grp.Pred[t][l];
                if (pred is not null) pred[t] = (float)y;
                double e = pp.Next(y) - pt.Next(grp.Tgt[t][l]);
                err += e * e;
            }
        }
        grp.ErrorSum = err;
    }

    private const int Block = 4;

    /// <summary>dW_h[g·H + k, j] += Σ_s da_{g,k}[s]·h_prev_j[s] over the <paramref name="count"/> buffered steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateRecurrent(ref T acc, ref T store, ReadOnlySpan<T> da, ReadOnlySpan<int> steps, int count)
    {
        ref T d = ref MemoryMarshal.GetReference(da);
        if (count == Block)
        {
            ref T h0 = ref Unsafe.Add(ref store, steps[0] * PerStep), h1 = ref Unsafe.Add(ref store, steps[1] * PerStep);
            ref T h2 = ref Unsafe.Add(ref store, steps[2] * PerStep), h3 = ref Unsafe.Add(ref store, steps[3] * PerStep);
            for (int row = 0; row < 3 * H; row++)
            {
                T d0 = Unsafe.Add(ref d, row), d1 = Unsafe.Add(ref d, 3 * H + row), d2 = Unsafe.Add(ref d, 6 * H + row), d3 = Unsafe.Add(ref d, 9 * H + row);
                ref T a = ref Unsafe.Add(ref acc, GruModel.WhhOffset + row * H);
                for (int j = 0; j < H; j++)
                {
                    ref T aj = ref Unsafe.Add(ref a, j);
                    aj = T.Fma(d3, Unsafe.Add(ref h3, j), T.Fma(d2, Unsafe.Add(ref h2, j), T.Fma(d1, Unsafe.Add(ref h1, j), T.Fma(d0, Unsafe.Add(ref h0, j), aj))));
                }
            }
            return;
        }
        for (int s = 0; s < count; s++)
        {
            ref T h = ref Unsafe.Add(ref store, steps[s] * PerStep);
            for (int row = 0; row < 3 * H; row++)
            {
                T ds = Unsafe.Add(ref d, s * 3 * H + row);
                ref T a = ref Unsafe.Add(ref acc, GruModel.WhhOffset + row * H);
                for (int j = 0; j < H; j++) Unsafe.Add(ref a, j) = T.Fma(ds, Unsafe.Add(ref h, j), Unsafe.Add(ref a, j));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward(Group grp)
    {
        int length = _length;
        // dL/dP[y] = 2(P[y] − P[t])/D, then through the pre-filter's adjoint, run backwards:
        //   μ[n] = g[n] + 0.995·μ[n+1],  dL/dy[n] = μ[n] − μ[n+1].
        var e = grp.Grad;
        {
            T pIn = default, pOut = default, tIn = default, tOut = default;
            T pole = T.Create(PreFilter.Pole);
            T scale = T.Create(2 / _denom) * grp.Mask;   // lanes without a row contribute nothing
            for (int t = 0; t < length; t++)
            {
                T py = T.Fma(pole, pOut, grp.Pred[t] - pIn);
                pIn = grp.Pred[t];
                pOut = py;
                T tv = grp.Tgt[t];
                T pt = T.Fma(pole, tOut, tv - tIn);
                tIn = tv;
                tOut = pt;
                e[t] = (py - pt) * scale;
            }
            T mu = default, next = default;
            for (int t = length - 1; t >= 0; t--)
            {
                mu = T.Fma(pole, mu, e[t]);
                e[t] = mu - next;
                next = mu;
            }
        }

        var accArray = grp.Acc;
        Array.Clear(accArray);
        ref T acc = ref MemoryMarshal.GetArrayDataReference(accArray);
        ref T w = ref MemoryMarshal.GetArrayDataReference(_w);
        Span<T> carry = stackalloc T[H];
        Span<T> dh = stackalloc T[H];
        Span<T> dar = stackalloc T[H], daz = stackalloc T[H], dhn = stackalloc T[H];
        carry.Clear();
        ref T store = ref MemoryMarshal.GetArrayDataReference(grp.Store);
        T one = T.Create(1);
        Span<T> daBuf = stackalloc T[Block * 3 * H];
        Span<int> steps = stackalloc int[Block];
        int pending = 0;
        for (int t = length - 1; t >= 0; t--)
        {
            ref T st = ref Unsafe.Add(ref store, t * PerStep);
            T go = e[t];
            T u = grp.U[t];
            Unsafe.Add(ref acc, GruModel.LinBOffset) += go;
            for (int k = 0; k < H; k++)
            {
                T hp = Unsafe.Add(ref st, k), z = Unsafe.Add(ref st, 2 * H + k), n = Unsafe.Add(ref st, 3 * H + k);
                T hNew = T.Fma(z, hp - n, n);
                ref T lw = ref Unsafe.Add(ref acc, GruModel.LinWOffset + k);
                lw = T.Fma(go, hNew, lw);
                T delta = T.Fma(go, Unsafe.Add(ref w, GruModel.LinWOffset + k), carry[k]);
                T r = Unsafe.Add(ref st, H + k), hnk = Unsafe.Add(ref st, 4 * H + k);
                T dn = delta * (one - z);
                T dz = delta * (hp - n);
                dh[k] = delta * z;
                T dan = dn * (one - n * n);
                int kr = k, kz = H + k, kn = 2 * H + k;
                ref T a1 = ref Unsafe.Add(ref acc, GruModel.WihOffset + kn);
                a1 = T.Fma(dan, u, a1);
                Unsafe.Add(ref acc, GruModel.BihOffset + kn) += dan;
                T dr = dan * hnk;
                dhn[k] = dan * r;
                Unsafe.Add(ref acc, GruModel.BhhOffset + kn) += dhn[k];
                daz[k] = dz * z * (one - z);
                dar[k] = dr * r * (one - r);
                ref T a2 = ref Unsafe.Add(ref acc, GruModel.WihOffset + kz);
                a2 = T.Fma(daz[k], u, a2);
                Unsafe.Add(ref acc, GruModel.BihOffset + kz) += daz[k];
                Unsafe.Add(ref acc, GruModel.BhhOffset + kz) += daz[k];
                ref T a3 = ref Unsafe.Add(ref acc, GruModel.WihOffset + kr);
                a3 = T.Fma(dar[k], u, a3);
                Unsafe.Add(ref acc, GruModel.BihOffset + kr) += dar[k];
                Unsafe.Add(ref acc, GruModel.BhhOffset + kr) += dar[k];
            }
            // dL/dh_prev_j += Σ_k W_h[k, j]·da_k (the recurrence, step by step).
            for (int k = 0; k < H; k++)
            {
                int wr = GruModel.WhhOffset + k * H, wz = GruModel.WhhOffset + (H + k) * H, wn = GruModel.WhhOffset + (2 * H + k) * H;
                T g1 = dar[k], g2 = daz[k], g3 = dhn[k];
                for (int j = 0; j < H; j++)
                    dh[j] = T.Fma(Unsafe.Add(ref w, wr + j), g1, T.Fma(Unsafe.Add(ref w, wz + j), g2, T.Fma(Unsafe.Add(ref w, wn + j), g3, dh[j])));
            }
            dh.CopyTo(carry);
            // Recurrent weights, dW_h[k, j] += da_k·h_j: deferred and summed over Block steps at a time, so each accumulator
            // is loaded and stored once per Block steps instead of every step.
            ref T slot = ref Unsafe.Add(ref MemoryMarshal.GetReference(daBuf), pending * 3 * H);
            for (int k = 0; k < H; k++)
            {
                Unsafe.Add(ref slot, k) = dar[k];
                Unsafe.Add(ref slot, H + k) = daz[k];
                Unsafe.Add(ref slot, 2 * H + k) = dhn[k];
            }
            steps[pending++] = t;
            if (pending == Block || t == 0)
            {
                AccumulateRecurrent(ref acc, ref store, daBuf, steps, pending);
                pending = 0;
            }
        }
        var sum = grp.GradSum;
        for (int i = 0; i < GruModel.Count; i++)
        {
            T a = Unsafe.Add(ref acc, i);
            double s = 0;
            for (int l = 0; l < T.Count; l++) s += a[l];
            sum[i] = s;
        }
    }
}
