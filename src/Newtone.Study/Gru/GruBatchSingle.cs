using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using D = System.Runtime.Intrinsics.Vector256<double>;
using V = System.Runtime.Intrinsics.Vector256<float>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Study;

/// <summary>
/// <see cref="GruBatch"/> in single precision for training speed: rows in groups of eight, one per lane of a
/// 256-bit vector, σ and tanh from <see cref="FloatMath"/>'s rational function (σ(a) = 1/2 + tanh(a/2)/2 with
/// tanh(y/2) = K·y·R(y): no e^x, and a short dependency chain, so more of a step's work overlaps). The same equations
/// as <see cref="GruBatch"/>: the chunk loss of docs/model.md §7 (ESR of the pre-filtered prediction against the pre-filtered target, pre-filter
/// restarted per chunk, 1e-5 added to the denominator), and back-propagation through time within the chunk (the
/// incoming hidden state is a constant: truncated BPTT). The loss, the target energy and the gradient sums are kept
/// in double; the float gradient accumulators are flushed into double every <see cref="Flush"/> steps.
/// <para>
/// Layout for speed: each step stores h_prev in float and r, z and n as 16-bit fractions (640 bytes a step for eight
/// rows; the forward pass itself runs on the float values, back-propagation uses the stored ones, within 1.6e-5 of
/// them, and recomputes W_hn·h + b_hn exactly); back-propagation writes the pre-activation gradients of a block of steps to a small
/// buffer, and the weight gradients (Σ_t da_t ⊗ [h_{t−1}; u_t; 1]) are summed over blocks of <see cref="Block"/> steps
/// with the accumulators in registers while the block is still in the first-level cache.
/// </para>
/// <para>
/// The rows left after the groups of eight, one to six, run in one or two <see cref="GruRowSet"/>s of up to four rows where
/// the processor has AVX-512 (each row's units across the lanes; two rows cost a third of a group, where a group of their
/// own would cost a whole one); seven, or without AVX-512, in a group of their own. Each group's chunk, and the set's, is a chain of
/// segments of <see cref="SegmentSteps"/> steps that the threads take from any chain, the one with the most work left
/// first, so that the chains end together and a thread the host slows down does less of the work; a chain's segments
/// run in order and the chains' sums are combined in a fixed order, so the result does not depend on the threads.
/// </para>
/// </summary>
internal sealed class GruBatchSingle
{
    private const int H = GruModel.Hidden;
    private const int Lanes = 8;

    private const int Block = 16;
    // Steps per segment, the unit of work handed from one thread to another (a multiple of Block and of Flush).
    private const int SegmentSteps = 1024;
    private const int Ahead = 4;
    internal const int Flush = 256;
    // A step's record in the store: h_prev as floats (H vectors), then r, z and n (24 gate vectors) as 16-bit fractions,
    // two gate vectors per vector-sized slot (12 slots): 20 vectors, ten cache lines. W_hn·h + b_hn is recomputed from
    // h_prev when back-propagation needs it: storing it too (28 vectors) saved one core 1–1.5 ns per row-sample with one
    // group, but with 26 rows on two threads, whose two stores then no longer share the last-level cache as well, it cost
    // 0.5–2 ns (in-process A/B, alternating epochs).
    private const int Stride = H + 3 * H / 2, Packed = H;
    // The gates of one step in float (Forward's and Backward's scratch record): r, z, n, W_hn·h + b_hn.
    private const int R = 0, Z = H, N = 2 * H, HN = 3 * H, Gates = 4 * H;
    // The pre-activation gradients of a block of steps, per step: dL/da_r, dL/da_z, dL/d(W_hn·h + b_hn) (the 24 rows of
    // W_h in order), then dL/da_n (input side).
    private const int DaStride = 4 * H, DaR = 0, DaZ = H, DaHn = 2 * H, DaN = 3 * H;
    private readonly int _rows, _groups, _chunk;
    private readonly Group[] _state;
    // The parameters broadcast to every lane, once per chunk (W), and b_ih + b_hh of r and z (Brz).
    // The parameters as floats, broadcast by the multiply-adds that use them (4 bytes read from the cache, not 32).
    private readonly float[] _wf = new float[GruModel.Count];
    private readonly float[] _brz = new float[2 * H];
    // Workspaces not in use (made when first needed: at most one per open group, threads + 2).
    private readonly Stack<Workspace> _free = new();
    // The threads, kept running between chunks (a thread-pool thread, woken for each chunk, started up to 2 ms into it).
    private readonly WakefulWorkers _workers = new();

    /// <summary>
    /// The large buffers a group needs only while its chunk runs (the step store of (chunk + 1)·640 bytes, the rows' input
    /// and target, the error and prediction): taken by a group when it starts and given back when it ends, last given back
    /// first taken, so that the next group writes over a store still in the cache; at most threads + 2 groups are open at
    /// once (26 rows on two threads: three groups of 10.2 MB each for 12288-sample chunks, of which 7.9 MB of store, and the
    /// row set's 4 MB).
    /// </summary>
    private sealed class Workspace
    {
        // Pinned, so that the backward pass can prefetch it by address, and from a 64-byte boundary (a step's record starts
        // a cache line); the vectors by step too, so that none spans two cache lines.
        private readonly AlignedBuffer _store;

        public Workspace(int chunk)
        {
            _store = new AlignedBuffer((chunk + 1) * Stride * Lanes);
            RowsU = new float[Lanes * chunk];
            RowsT = new float[Lanes * chunk];
            U = new AlignedBuffer(chunk * Lanes);
            Tgt = new AlignedBuffer(chunk * Lanes);
            G = new AlignedBuffer(chunk * Lanes);
            Pred = new AlignedBuffer(chunk * Lanes);
        }

        /// <summary>The first vector of the store.</summary>
        public ref V Store => ref Unsafe.As<float, V>(ref _store.First);

        // The group's rows of input and target, row after row (chunk floats each), before the transpose.
        public readonly float[] RowsU, RowsT;
        public readonly AlignedBuffer U, Tgt;
        // The pre-filtered error e[t] after the forward pass; dL/dout[t] (up to 2/D) after the adjoint.
        public readonly AlignedBuffer G;
        public readonly AlignedBuffer Pred;
    }

    /// <summary>One group of rows: the state its segments hand on to each other, whichever thread runs them.</summary>
    private sealed class Group
    {
        /// <summary>The group's workspace while its chunk runs.</summary>
        public Workspace? Work;
        /// <summary>For the chain of the rows left after the groups of eight: their row set (the fields below unused).</summary>
        public GruRowSet? Set;

        public ref V Store => ref Work!.Store;
        public float[] RowsU => Work!.RowsU;
        public float[] RowsT => Work!.RowsT;
        public ref V U => ref Unsafe.As<float, V>(ref Work!.U.First);
        public ref V Tgt => ref Unsafe.As<float, V>(ref Work!.Tgt.First);
        public ref V G => ref Unsafe.As<float, V>(ref Work!.G.First);
        public ref V Pred => ref Unsafe.As<float, V>(ref Work!.Pred.First);
        public readonly AlignedBuffer Scratch = new(Gates * Lanes);
        public readonly AlignedBuffer Acc = new(GruModel.Count * Lanes);
        public readonly AlignedBuffer Da = new(Block * DaStride * Lanes);
        public readonly double[] GradSum = new double[GruModel.Count];
        public V Mask;
        public double ErrorSum, Energy;
        /// <summary>The loss's pre-filters and sums between segments of the forward pass.</summary>
        public FilterState Filters;
        /// <summary>dL/dh of the step after the back-propagation's next one.</summary>
        public readonly AlignedBuffer Carry = new(H * Lanes);
        /// <summary>Segments done this chunk (gathering and forward first, then back-propagation); whether a thread runs one.</summary>
        public int Done;
        public bool Busy;
    }

    /// <summary>
    /// The loss's state carried from one forward segment to the next: the pre-filters' last input and output for the
    /// prediction and the target (low and high four lanes, in double) and the sums Σe², Σ P[target]².
    /// </summary>
    private readonly record struct FilterState(D PInLo, D PInHi, D POutLo, D POutHi, D TInLo, D TInHi, D TOutLo, D TOutHi, D Err, D Energy);

    /// <summary>The longest chunk (samples) one batch can hold: a store of (chunk + 1)·640 bytes is one array.</summary>
    public const int MaxChunk = (int.MaxValue - 64) / (Stride * Lanes) - 1;

    /// <summary>
    /// Prepares buffers for <paramref name="rows"/> rows and chunks of up to <paramref name="chunk"/> samples;
    /// <paramref name="rowSet"/> false puts every row in groups of eight, as on a processor without AVX-512 (tests compare the two).
    /// </summary>
    public GruBatchSingle(int rows, int chunk, bool rowSet = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (chunk < 1 || chunk > MaxChunk)
            throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"a chunk must be 1 to {MaxChunk} samples");
        _rows = rows;
        _chunk = chunk;
        // The rows left after the groups of eight, where the processor runs row sets: one to four in a set (a third to two
        // thirds of a group's cost), five or six in a set of four and one of the rest (about 0.93 of a group, and two chains
        // that two threads can run at once); seven in a group of their own (two sets would cost 1.2 groups).
        int left = rows % Lanes;
        bool sets = rowSet && left is >= 1 and <= 6 && GruRowSet.Supported;
        _groups = sets ? rows / Lanes : (rows + Lanes - 1) / Lanes;
        var chains = Enumerable.Range(0, _groups).Select(_ => new Group()).ToList();
        for (int first = _groups * Lanes; sets && first < rows; first += GruRowSet.MaxRows)
        {
            int count = Math.Min(GruRowSet.MaxRows, rows - first);
            chains.Add(new Group { Set = new GruRowSet(Enumerable.Range(first, count).ToArray(), chunk) });
        }
        _state = [.. chains];
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
        for (int r = 0; r < _rows; r++)
        {
            if (inputs[r].Length == 0 || targets[r].Length < inputs[r].Length)
                throw new ArgumentException($"row {r}: the input is empty or longer than its target");
            if (starts[r] < 0 || starts[r] >= inputs[r].Length) throw new ArgumentOutOfRangeException(nameof(starts), starts[r], $"row {r}: start outside the row");
        }
        var pm = model.Parameters;
        for (int i = 0; i < GruModel.Count; i++) _wf[i] = (float)pm[i];
        for (int k = 0; k < 2 * H; k++) _brz[k] = (float)(pm[GruModel.BihOffset + k] + pm[GruModel.BhhOffset + k]);
        // A group's chunk is a chain of segments (gather and forward, then back-propagation), each SegmentSteps steps; threads
        // take segments of any group, so that a thread slowed down by the host (a busy neighbour on its core) does less of
        // the work instead of holding up the chunk. Every group's segments run in order, whichever thread runs them: the
        // same operations in the same order, so the result does not depend on the threads.
        int forwardSegments = (length + SegmentSteps - 1) / SegmentSteps;
        int segments = forwardSegments * (gradient is null ? 1 : 2);
        void RunSegment(int g)
        {
            var grp = _state[g];
            int k = grp.Done;
            if (grp.Set is { } set)
            {
                if (k == 0)
                {
                    set.Prepare(_wf, _brz);
                    set.Gather(inputs, targets, starts, length, hidden);
                }
                if (k < forwardSegments)
                {
                    set.Forward(k * SegmentSteps, Math.Min(length, (k + 1) * SegmentSteps));
                    if (k == forwardSegments - 1) set.Finish(length, hidden, predictions);
                }
                else
                {
                    int done = (k - forwardSegments) * SegmentSteps;
                    set.Backward(length, length - done, Math.Max(0, length - done - SegmentSteps));
                }
                return;
            }
            if (k == 0)
            {
                Gather(grp, g, inputs, targets, starts, length, hidden);
                grp.Filters = default;
            }
            if (k < forwardSegments)
            {
                Forward(grp, k * SegmentSteps, Math.Min(length, (k + 1) * SegmentSteps));
                if (k == forwardSegments - 1) Finish(grp, g, length, hidden, predictions);
            }
            else
            {
                int done = (k - forwardSegments) * SegmentSteps;
                Backward(grp, length, length - done, Math.Max(0, length - done - SegmentSteps));
            }
        }
        foreach (var grp in _state)
        {
            (grp.Done, grp.Busy) = (0, false);
            Release(grp);   // left by a chunk that failed
        }
        int chains = _state.Length;
        int threads = Math.Min(MaxThreads, chains);
        if (threads <= 1)
        {
            for (int g = 0; g < chains; g++)
            {
                Take(_state[g]);
                for (; _state[g].Done < segments; _state[g].Done++) RunSegment(g);
                Release(_state[g]);
            }
        }
        else
        {
            // After each segment a thread takes the chain with the most work left that no thread runs (ties: the one it
            // ran, then the first), so that the chains end together: 26 rows on two threads are three groups and a row
            // set, and the three groups take turns instead of one of them starting when the first two end. A chain not
            // started yet is taken while fewer than threads + 2 are open (their stores live in the cache together) or
            // when no open chain is free. A thread left without a chain waits, and the next thread to end a segment hands
            // its chain over and stops: the thread that ran out of work first, the faster one, finishes the chunk.
            var gate = new object();
            int waiting = 0, open = 0;
            bool failed = false;
            _workers.Run(threads, _ =>
            {
                int own = -1;
                bool waits = false;
                var spin = new SpinWait();
                try
                {
                    while (true)
                    {
                        lock (gate)
                        {
                            if (failed) return;
                            if (own >= 0)
                            {
                                var grp = _state[own];
                                grp.Done++;
                                grp.Busy = false;
                                if (grp.Done >= segments)
                                {
                                    Release(grp);
                                    open--;
                                }
                                // Hand over: stop while there are no more free chains than waiting threads, so that each of
                                // them gets one and no two threads stop for one waiter.
                                else if (waiting > 0 && FreeChains(segments) <= waiting) return;
                            }
                            own = Choose(own, segments, forwardSegments, threads + 2 - open, out bool finished);
                            if (own >= 0)
                            {
                                var grp = _state[own];
                                grp.Busy = true;
                                if (grp.Done == 0)
                                {
                                    open++;
                                    Take(grp);
                                }
                                if (waits) waiting--;
                                waits = false;
                            }
                            else if (finished)
                            {
                                if (waits) waiting--;
                                return;
                            }
                            else if (!waits)
                            {
                                waiting++;
                                waits = true;
                            }
                        }
                        if (own < 0)
                        {
                            spin.SpinOnce(sleep1Threshold: -1);
                            continue;
                        }
                        RunSegment(own);
                    }
                }
                catch
                {
                    // Taking a workspace or running a segment failed: the other threads stop at their next segment.
                    lock (gate) failed = true;
                    throw;
                }
            });
        }

        // Denominator: Σ P[t]² over every row (pre-filter restarted for the chunk), chains in order.
        double energy = 0, error = 0;
        foreach (var grp in _state)
        {
            energy += grp.Set?.Energy ?? grp.Energy;
            error += grp.Set?.ErrorSum ?? grp.ErrorSum;
        }
        double denom = energy + GruBatch.Epsilon;
        if (gradient is not null)
        {
            // The back-propagation ran with dL/dP = P[y] − P[t]; the loss's factor 2/D is applied once here.
            Array.Clear(gradient);
            foreach (var grp in _state)
            {
                var src = grp.Set?.GradSum ?? grp.GradSum;
                for (int i = 0; i < gradient.Length; i++) gradient[i] += src[i];
            }
            double f = 2 / denom;
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= f;
        }
        return error / denom;
    }

    /// <summary>A workspace for a group that starts: the one given back last, or a new one (a row set has its own buffers).</summary>
    private void Take(Group grp)
    {
        if (grp.Set is null) grp.Work = _free.Count > 0 ? _free.Pop() : new Workspace(_chunk);
    }

    /// <summary>The group's workspace back to the free ones.</summary>
    private void Release(Group grp)
    {
        if (grp.Work is null) return;
        _free.Push(grp.Work);
        grp.Work = null;
    }

    /// <summary>Chains not finished that no thread runs.</summary>
    private int FreeChains(int segments)
    {
        int free = 0;
        foreach (var grp in _state)
            if (grp.Done < segments && !grp.Busy) free++;
        return free;
    }

    // Measured cost of a step (ns, one core): a group of eight rows forward 108, back 138; a pair of rows in a row set 41 each way.
    private const double GroupForward = 108, GroupBack = 138, PairStep = 41;

    /// <summary>
    /// The chain a thread takes after <paramref name="own"/>: of those no thread runs and not finished, the one with the most
    /// work left (by <see cref="GroupForward"/>, <see cref="GroupBack"/>, <see cref="PairStep"/>; ties: <paramref name="own"/>,
    /// then the first), one not started only if <paramref name="openable"/> &gt; 0 or no started one is free; −1 if none.
    /// <paramref name="finished"/>: every chain done.
    /// </summary>
    private int Choose(int own, int segments, int forwardSegments, int openable, out bool finished)
    {
        int best = -1, fresh = -1;
        double bestLeft = -1, freshLeft = -1;
        finished = true;
        for (int g = 0; g < _state.Length; g++)
        {
            var grp = _state[g];
            if (grp.Done >= segments) continue;
            finished = false;
            if (grp.Busy) continue;
            int pairs = grp.Set?.Pairs ?? 0;
            double forward = pairs > 0 ? pairs * PairStep : GroupForward, back = pairs > 0 ? pairs * PairStep : GroupBack;
            double left = Math.Max(0, forwardSegments - grp.Done) * forward + Math.Min(segments - grp.Done, segments - forwardSegments) * back;
            if (grp.Done == 0)
            {
                if (left > freshLeft) (fresh, freshLeft) = (g, left);
            }
            else if (left > bestLeft || (left == bestLeft && g == own)) (best, bestLeft) = (g, left);
        }
        if (fresh >= 0 && (best < 0 || (openable > 0 && freshLeft > bestLeft))) return fresh;
        return best;
    }

    /// <summary>After the forward pass: the loss sums, each row's state after the chunk, and the predictions if asked.</summary>
    private void Finish(Group grp, int g, int length, double[][] hidden, float[][]? predictions)
    {
        double e = 0, en = 0;
        for (int l = 0; l < D.Count; l++)
        {
            e += grp.Filters.Err[l];
            en += grp.Filters.Energy[l];
        }
        grp.ErrorSum = e;
        grp.Energy = en;
        int r0 = g * Lanes;
        for (int l = 0; l < Lanes && r0 + l < _rows; l++)
            for (int k = 0; k < H; k++) hidden[r0 + l][k] = Unsafe.Add(ref grp.Store, length * Stride + k)[l];
        if (predictions is not null)
            for (int l = 0; l < Lanes && r0 + l < _rows; l++)
            {
                var dst = predictions[r0 + l];
                for (int t = 0; t < length; t++) dst[t] = Unsafe.Add(ref grp.Pred, t)[l];
            }
    }

    /// <summary>The group's input and target, lane by lane (missing lanes: zero), its mask and initial state.</summary>
    private void Gather(Group grp, int g, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length, double[][] hidden)
    {
        int r0 = g * Lanes;
        int lanes = Math.Min(Lanes, _rows - r0);
        // Each row's part (read in place, wrapping at its end) into a row of the group's scratch, then 8 × 8 transposes into
        // one vector per step (lanes without a row stay zero).
        for (int l = 0; l < lanes; l++)
        {
            int period = inputs[r0 + l].Length;   // the target is read with the input's period
            Segment(inputs[r0 + l], period, starts[r0 + l], grp.RowsU.AsSpan(l * _chunk, length));
            Segment(targets[r0 + l], period, starts[r0 + l], grp.RowsT.AsSpan(l * _chunk, length));
        }
        // Lanes without a row: zero input and target (the workspace may hold another group's rows).
        for (int l = lanes; l < Lanes; l++)
        {
            grp.RowsU.AsSpan(l * _chunk, length).Clear();
            grp.RowsT.AsSpan(l * _chunk, length).Clear();
        }
        Transpose(grp.RowsU, ref grp.U, length);
        Transpose(grp.RowsT, ref grp.Tgt, length);
        Span<float> buf = stackalloc float[Lanes];
        for (int l = 0; l < Lanes; l++) buf[l] = l < lanes ? 1 : 0;
        grp.Mask = VS.Create<float>(buf);
        for (int k = 0; k < H; k++)
        {
            for (int l = 0; l < Lanes; l++) buf[l] = l < lanes ? (float)hidden[r0 + l][k] : 0;
            Unsafe.Add(ref grp.Store, k) = VS.Create<float>(buf);
        }
    }

    /// <summary>x[(start + t) mod T] for t in [0, dst.Length) (T = <paramref name="period"/> ≥ 1, at most x's length).</summary>
    internal static void Segment(float[] x, int period, int start, Span<float> dst)
    {
        int first = Math.Min(dst.Length, period - start);
        x.AsSpan(start, first).CopyTo(dst);
        for (int done = first; done < dst.Length; done += period)
            x.AsSpan(0, Math.Min(period, dst.Length - done)).CopyTo(dst[done..]);
    }

    /// <summary>Lane l of step t ← rows[l·chunk + t]: eight steps at a time by an 8 × 8 transpose where AVX runs.</summary>
    private void Transpose(float[] rows, ref V o, int length)
    {
        ref float r = ref MemoryMarshal.GetArrayDataReference(rows);
        int t = 0;
        if (Avx.IsSupported)
        {
            for (; t + Lanes <= length; t += Lanes)
            {
                V r0 = VS.LoadUnsafe(ref r, (nuint)t), r1 = VS.LoadUnsafe(ref r, (nuint)(_chunk + t)),
                    r2 = VS.LoadUnsafe(ref r, (nuint)(2 * _chunk + t)), r3 = VS.LoadUnsafe(ref r, (nuint)(3 * _chunk + t)),
                    r4 = VS.LoadUnsafe(ref r, (nuint)(4 * _chunk + t)), r5 = VS.LoadUnsafe(ref r, (nuint)(5 * _chunk + t)),
                    r6 = VS.LoadUnsafe(ref r, (nuint)(6 * _chunk + t)), r7 = VS.LoadUnsafe(ref r, (nuint)(7 * _chunk + t));
                V a0 = Avx.UnpackLow(r0, r1), a1 = Avx.UnpackHigh(r0, r1), a2 = Avx.UnpackLow(r2, r3), a3 = Avx.UnpackHigh(r2, r3);
                V a4 = Avx.UnpackLow(r4, r5), a5 = Avx.UnpackHigh(r4, r5), a6 = Avx.UnpackLow(r6, r7), a7 = Avx.UnpackHigh(r6, r7);
                V b0 = Avx.Shuffle(a0, a2, 0x44), b1 = Avx.Shuffle(a0, a2, 0xEE), b2 = Avx.Shuffle(a1, a3, 0x44), b3 = Avx.Shuffle(a1, a3, 0xEE);
                V b4 = Avx.Shuffle(a4, a6, 0x44), b5 = Avx.Shuffle(a4, a6, 0xEE), b6 = Avx.Shuffle(a5, a7, 0x44), b7 = Avx.Shuffle(a5, a7, 0xEE);
                ref V d = ref Unsafe.Add(ref o, t);
                d = Avx.Permute2x128(b0, b4, 0x20);
                Unsafe.Add(ref d, 1) = Avx.Permute2x128(b1, b5, 0x20);
                Unsafe.Add(ref d, 2) = Avx.Permute2x128(b2, b6, 0x20);
                Unsafe.Add(ref d, 3) = Avx.Permute2x128(b3, b7, 0x20);
                Unsafe.Add(ref d, 4) = Avx.Permute2x128(b0, b4, 0x31);
                Unsafe.Add(ref d, 5) = Avx.Permute2x128(b1, b5, 0x31);
                Unsafe.Add(ref d, 6) = Avx.Permute2x128(b2, b6, 0x31);
                Unsafe.Add(ref d, 7) = Avx.Permute2x128(b3, b7, 0x31);
            }
        }
        Span<float> lane = stackalloc float[Lanes];
        for (; t < length; t++)
        {
            for (int l = 0; l < Lanes; l++) lane[l] = Unsafe.Add(ref r, l * _chunk + t);
            Unsafe.Add(ref o, t) = VS.Create<float>(lane);
        }
    }

    /// <summary>
    /// Σ_j w[j]·h_j + a over the hidden state, in two chains of four; each weight is read as a float and broadcast by the
    /// multiply-add itself (4 bytes from the cache instead of 32).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Dot(ref float w, V a, V h0, V h1, V h2, V h3, V h4, V h5, V h6, V h7)
    {
        V s = VS.FusedMultiplyAdd(VS.Create(w), h0, a);
        V q = VS.Create(Unsafe.Add(ref w, 4)) * h4;
        s = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 1)), h1, s);
        q = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 5)), h5, q);
        s = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 2)), h2, s);
        q = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 6)), h6, q);
        s = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 3)), h3, s);
        q = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref w, 7)), h7, q);
        return s + q;
    }

    /// <summary>hn = W_hn h + b_hn into the H vectors at <paramref name="dst"/> (the forward pass and its recomputation alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HiddenN(ref float w, ref V dst, V h0, V h1, V h2, V h3, V h4, V h5, V h6, V h7)
    {
        ref float wRow = ref Unsafe.Add(ref w, GruModel.WhhOffset + 2 * H * H);
        ref float bRow = ref Unsafe.Add(ref w, GruModel.BhhOffset + 2 * H);
        for (int k = 0; k < H; k++)
        {
            dst = Dot(ref wRow, VS.Create(bRow), h0, h1, h2, h3, h4, h5, h6, h7);
            wRow = ref Unsafe.Add(ref wRow, H);
            bRow = ref Unsafe.Add(ref bRow, 1);
            dst = ref Unsafe.Add(ref dst, 1);
        }
    }

    // r, z ∈ [0, 1] kept for back-propagation as round(65535·v) (within 7.7e-6 of the float value), n ∈ [−1, 1] as
    // round(32767.5·(v + 1)) (within 1.6e-5); the forward pass itself runs on the float values. With AVX2 two vectors are
    // rounded by vcvtps2dq (to nearest) and packed with unsigned saturation by vpackusdw, which interleaves them by 128-bit
    // half (a0–3 b0–3 | a4–7 b4–7); vpunpcklwd/vpunpckhwd against zero undo exactly that. Otherwise the portable
    // conversions (round half up, lanes in order) pack and unpack alike.
    private const float UnitScale = 65535f, SignedScale = 32767.5f;

    /// <summary>Two vectors of values in [0, 65535] as one vector of 16-bit integers (rounded to nearest; the portable path half up).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Pack(V a, V b) => Avx2.IsSupported
        ? Avx2.PackUnsignedSaturate(Avx.ConvertToVector256Int32(a), Avx.ConvertToVector256Int32(b)).AsSingle()
        : VS.Narrow(VS.ConvertToInt32(a + VS.Create(0.5f)).AsUInt32(), VS.ConvertToInt32(b + VS.Create(0.5f)).AsUInt32()).AsSingle();

    /// <summary><see cref="Pack"/> undone: the two vectors of 16-bit integers q, as floats q·scale + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (V, V) Unpack(V q, V scale, V offset)
    {
        if (Avx2.IsSupported)
        {
            var w = q.AsUInt16();
            return (VS.FusedMultiplyAdd(Avx.ConvertToVector256Single(Avx2.UnpackLow(w, Vector256<ushort>.Zero).AsInt32()), scale, offset),
                VS.FusedMultiplyAdd(Avx.ConvertToVector256Single(Avx2.UnpackHigh(w, Vector256<ushort>.Zero).AsInt32()), scale, offset));
        }
        var u = q.AsUInt16();
        return (VS.FusedMultiplyAdd(VS.ConvertToSingle(VS.WidenLower(u).AsInt32()), scale, offset),
            VS.FusedMultiplyAdd(VS.ConvertToSingle(VS.WidenUpper(u).AsInt32()), scale, offset));
    }

    /// <summary>
    /// The forward pass (docs/model.md §7): r, z, n, h' per step, out = u + w·h' + b, and in double precision the
    /// pre-filtered error e = P[out] − P[target], Σe² and the target energy Σ P[target]².
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(Group grp, int t0, int t1)
    {
        ref float wf = ref MemoryMarshal.GetArrayDataReference(_wf);
        ref float brz = ref MemoryMarshal.GetArrayDataReference(_brz);
        ref V st = ref grp.Store;
        ref V uu = ref grp.U;
        ref V tt = ref grp.Tgt;
        ref V ee = ref grp.G;
        ref V pp = ref grp.Pred;
        V linB = VS.Create(Unsafe.Add(ref wf, GruModel.LinBOffset));
        D pole = VS.Create(PreFilter.Pole);
        ref var f = ref grp.Filters;
        D pInLo = f.PInLo, pInHi = f.PInHi, pOutLo = f.POutLo, pOutHi = f.POutHi;
        D tInLo = f.TInLo, tInHi = f.TInHi, tOutLo = f.TOutLo, tOutHi = f.TOutHi;
        D err = f.Err, energy = f.Energy;   // lanes l and l + 4 share a lane of these sums
        V mask = grp.Mask;
        V unitScale = VS.Create(UnitScale), signedScale = VS.Create(SignedScale);
        ref V g = ref Unsafe.As<float, V>(ref grp.Scratch.First);
        for (int t = t0; t < t1; t++)
        {
            ref V s = ref Unsafe.Add(ref st, t * Stride);
            ref V next = ref Unsafe.Add(ref s, Stride);
            V u = Unsafe.Add(ref uu, t);
            V h0 = s, h1 = Unsafe.Add(ref s, 1), h2 = Unsafe.Add(ref s, 2), h3 = Unsafe.Add(ref s, 3),
                h4 = Unsafe.Add(ref s, 4), h5 = Unsafe.Add(ref s, 5), h6 = Unsafe.Add(ref s, 6), h7 = Unsafe.Add(ref s, 7);
            // The 24 gate rows' pre-activations first, then the 16 logistic functions, then n and h' (three loops of short
            // independent iterations, so that out-of-order execution overlaps their long dependency chains), in the scratch
            // record g:
            //   a_r = W_ir u + b_ir + b_hr + W_hr h,  a_z likewise   (in the r and z slots)
            ref float wRowF = ref Unsafe.Add(ref wf, GruModel.WhhOffset);
            ref float wIn = ref Unsafe.Add(ref wf, GruModel.WihOffset);
            ref float bRow = ref brz;
            ref V dst = ref Unsafe.Add(ref g, R);
            for (int row = 0; row < 2 * H; row++)
            {
                dst = Dot(ref wRowF, VS.FusedMultiplyAdd(VS.Create(wIn), u, VS.Create(bRow)), h0, h1, h2, h3, h4, h5, h6, h7);
                wRowF = ref Unsafe.Add(ref wRowF, H);
                wIn = ref Unsafe.Add(ref wIn, 1);
                bRow = ref Unsafe.Add(ref bRow, 1);
                dst = ref Unsafe.Add(ref dst, 1);
            }
            //   hn = W_hn h + b_hn
            HiddenN(ref wf, ref Unsafe.Add(ref g, HN), h0, h1, h2, h3, h4, h5, h6, h7);
            //   r = σ(a_r), z = σ(a_z), σ(a) = 1/2 + K·a·R(a)/2 with a clamped to ±18.02
            dst = ref Unsafe.Add(ref g, R);
            for (int i = 0; i < 2 * H; i++)
            {
                V a = FloatMath.ClampHalf(dst);
                dst = VS.FusedMultiplyAdd(a * FloatMath.TanhHalfRatioThroughput(a), VS.Create(0.5f * FloatMath.HalfScale), VS.Create(0.5f));
                dst = ref Unsafe.Add(ref dst, 1);
            }
            //   n = tanh(W_in u + b_in + r ⊙ hn),  h' = (1 − z)·n + z·h  (the next step's h_prev)
            ref V gk = ref g, sk = ref s;
            wIn = ref Unsafe.Add(ref wf, GruModel.WihOffset + 2 * H);
            bRow = ref Unsafe.Add(ref wf, GruModel.BihOffset + 2 * H);
            for (int k = 0; k < H; k++)
            {
                V v = VS.FusedMultiplyAdd(Unsafe.Add(ref gk, R), Unsafe.Add(ref gk, HN), VS.FusedMultiplyAdd(VS.Create(wIn), u, VS.Create(bRow)));
                V y2 = FloatMath.ClampHalf(v + v);   // tanh v = tanh(y/2) = K·y·R(y) with y = 2v clamped
                V n = (y2 * VS.Create(FloatMath.HalfScale)) * FloatMath.TanhHalfRatioThroughput(y2);
                Unsafe.Add(ref gk, N) = n;
                Unsafe.Add(ref sk, Stride) = VS.FusedMultiplyAdd(Unsafe.Add(ref gk, Z), sk - n, n);
                gk = ref Unsafe.Add(ref gk, 1);
                sk = ref Unsafe.Add(ref sk, 1);
                wIn = ref Unsafe.Add(ref wIn, 1);
                bRow = ref Unsafe.Add(ref bRow, 1);
            }
            // r, z and n into the store as 16-bit fractions.
            ref V gp = ref g, sp = ref Unsafe.Add(ref s, Packed);
            for (int i = 0; i < H; i++)
            {
                sp = Pack(gp * unitScale, Unsafe.Add(ref gp, 1) * unitScale);
                gp = ref Unsafe.Add(ref gp, 2);
                sp = ref Unsafe.Add(ref sp, 1);
            }
            for (int i = 0; i < H / 2; i++)
            {
                sp = Pack(VS.FusedMultiplyAdd(gp, signedScale, signedScale), VS.FusedMultiplyAdd(Unsafe.Add(ref gp, 1), signedScale, signedScale));
                gp = ref Unsafe.Add(ref gp, 2);
                sp = ref Unsafe.Add(ref sp, 1);
            }
            //   out = u + w·h' + b
            Unsafe.Add(ref pp, t) = Dot(ref Unsafe.Add(ref wf, GruModel.LinWOffset), u + linB, next, Unsafe.Add(ref next, 1), Unsafe.Add(ref next, 2),
                Unsafe.Add(ref next, 3), Unsafe.Add(ref next, 4), Unsafe.Add(ref next, 5), Unsafe.Add(ref next, 6), Unsafe.Add(ref next, 7));
        }
        // The loss in double, off the recurrence: p[n] = s[n] − s[n−1] + 0.995·p[n−1] for the prediction and the target
        // (PreFilter), e = P[out] − P[target]. Lanes without a row have zero input, target and state, but the biases give
        // them an output: masked out.
        for (int t = t0; t < t1; t++)
        {
            var (yLo, yHi) = VS.Widen(Unsafe.Add(ref pp, t) * mask);
            var (gLo, gHi) = VS.Widen(Unsafe.Add(ref tt, t));
            D pyLo = VS.FusedMultiplyAdd(pole, pOutLo, yLo - pInLo), pyHi = VS.FusedMultiplyAdd(pole, pOutHi, yHi - pInHi);
            D ptLo = VS.FusedMultiplyAdd(pole, tOutLo, gLo - tInLo), ptHi = VS.FusedMultiplyAdd(pole, tOutHi, gHi - tInHi);
            pInLo = yLo; pInHi = yHi; pOutLo = pyLo; pOutHi = pyHi;
            tInLo = gLo; tInHi = gHi; tOutLo = ptLo; tOutHi = ptHi;
            D eLo = pyLo - ptLo, eHi = pyHi - ptHi;
            err = VS.FusedMultiplyAdd(eLo, eLo, VS.FusedMultiplyAdd(eHi, eHi, err));
            energy = VS.FusedMultiplyAdd(ptLo, ptLo, VS.FusedMultiplyAdd(ptHi, ptHi, energy));
            Unsafe.Add(ref ee, t) = VS.Narrow(eLo, eHi);
        }
        f = new FilterState(pInLo, pInHi, pOutLo, pOutHi, tInLo, tInHi, tOutLo, tOutHi, err, energy);
    }

    /// <summary>
    /// Back-propagation through steps [<paramref name="stop"/>, <paramref name="from"/>) of a chunk of
    /// <paramref name="length"/> steps, backwards; the segment that starts at the chunk's end first runs the pre-filter's
    /// adjoint and clears the sums and the carry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Backward(Group grp, int length, int from, int stop)
    {
        ref float wf = ref MemoryMarshal.GetArrayDataReference(_wf);
        ref V st = ref grp.Store;
        ref V gg = ref grp.G;
        Span<V> acc = grp.Acc.As<V>();
        if (from == length)
        {
            // dL/dP[y] = e (the factor 2/D is applied to the sums), then through the pre-filter's adjoint, run backwards:
            //   μ[n] = e[n] + 0.995·μ[n+1],  dL/dy[n] = μ[n] − μ[n+1].
            V pole = VS.Create((float)PreFilter.Pole);
            V mu = V.Zero, prev = V.Zero;
            for (int t = length - 1; t >= 0; t--)
            {
                mu = VS.FusedMultiplyAdd(pole, mu, Unsafe.Add(ref gg, t));   // zero in lanes without a row
                Unsafe.Add(ref gg, t) = mu - prev;
                prev = mu;
            }
            acc.Clear();
            Array.Clear(grp.GradSum);
            grp.Carry.As<V>().Clear();
        }
        Span<V> direct = stackalloc V[H];
        ref V cr = ref Unsafe.As<float, V>(ref grp.Carry.First);
        ref V dr0 = ref MemoryMarshal.GetReference(direct);
        ref V da0 = ref Unsafe.As<float, V>(ref grp.Da.First);
        V unitInverse = VS.Create(1 / UnitScale), signedInverse = VS.Create(1 / SignedScale);
        ref V g = ref Unsafe.As<float, V>(ref grp.Scratch.First);
        int end = from;
        while (end > stop)
        {
            int begin = Math.Max(0, end - Block);
            for (int t = end - 1; t >= begin; t--)
            {
                ref V s = ref Unsafe.Add(ref st, t * Stride);
                ref V da = ref Unsafe.Add(ref da0, (t - begin) * DaStride);
                V go = Unsafe.Add(ref gg, t);
                // The store is read backwards, 640 bytes a step (Stride vectors of 32 bytes: ten cache lines): prefetch the step Ahead
                // steps on.
                if (Sse.IsSupported && t >= Ahead)
                {
                    byte* p = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref s, -Ahead * Stride));
                    Sse.Prefetch0(p);
                    Sse.Prefetch0(p + 64);
                    Sse.Prefetch0(p + 128);
                    Sse.Prefetch0(p + 192);
                    Sse.Prefetch0(p + 256);
                    Sse.Prefetch0(p + 320);
                    Sse.Prefetch0(p + 384);
                    Sse.Prefetch0(p + 448);
                    Sse.Prefetch0(p + 512);
                    Sse.Prefetch0(p + 576);
                }
                // W_hn·h + b_hn recomputed exactly as the forward pass did; the step's gates back from the store two units at a
                // time (r, z and n of units k and k + 1 share a packed vector each), straight into each unit's gradients.
                ref float wl = ref Unsafe.Add(ref wf, GruModel.LinWOffset);
                HiddenN(ref wf, ref Unsafe.Add(ref g, HN), s, Unsafe.Add(ref s, 1), Unsafe.Add(ref s, 2), Unsafe.Add(ref s, 3),
                    Unsafe.Add(ref s, 4), Unsafe.Add(ref s, 5), Unsafe.Add(ref s, 6), Unsafe.Add(ref s, 7));
                for (int k = 0; k < H; k += 2)
                {
                    var (r0, r1) = Unpack(Unsafe.Add(ref s, Packed + k / 2), unitInverse, V.Zero);
                    var (z0, z1) = Unpack(Unsafe.Add(ref s, Packed + H / 2 + k / 2), unitInverse, V.Zero);
                    var (n0, n1) = Unpack(Unsafe.Add(ref s, Packed + H + k / 2), signedInverse, -V.One);
                    Unit(go, Unsafe.Add(ref wl, k), ref Unsafe.Add(ref s, k), Unsafe.Add(ref g, HN + k), ref Unsafe.Add(ref da, k), ref Unsafe.Add(ref cr, k), ref Unsafe.Add(ref dr0, k), r0, z0, n0);
                    Unit(go, Unsafe.Add(ref wl, k + 1), ref Unsafe.Add(ref s, k + 1), Unsafe.Add(ref g, HN + k + 1), ref Unsafe.Add(ref da, k + 1), ref Unsafe.Add(ref cr, k + 1), ref Unsafe.Add(ref dr0, k + 1), r1, z1, n1);
                }
                // dL/dh_prev_j = δ_j·z_j + Σ_row W_h[row, j]·da[row] over the 24 rows (r, z, then n with dhn), four j at a
                // time (W_h is row-major: W_h[row, j…j+3] are neighbours), rows four at a time into four partial sums per j,
                // so that no chain of dependent multiply-adds is longer than six (this is the step-to-step recurrence).
                for (int j = 0; j < H; j += 4)
                {
                    ref float wr = ref Unsafe.Add(ref wf, GruModel.WhhOffset + j);
                    ref V d = ref da;
                    V a0 = Unsafe.Add(ref dr0, j), a1 = Unsafe.Add(ref dr0, j + 1), a2 = Unsafe.Add(ref dr0, j + 2), a3 = Unsafe.Add(ref dr0, j + 3);
                    V b0 = V.Zero, b1 = V.Zero, b2 = V.Zero, b3 = V.Zero, c0 = V.Zero, c1 = V.Zero, c2 = V.Zero, c3 = V.Zero;
                    V e0 = V.Zero, e1 = V.Zero, e2 = V.Zero, e3 = V.Zero;
                    for (int row = 0; row < 3 * H; row += 4)
                    {
                        V d0 = d, d1 = Unsafe.Add(ref d, 1), d2 = Unsafe.Add(ref d, 2), d3 = Unsafe.Add(ref d, 3);
                        a0 = VS.FusedMultiplyAdd(VS.Create(wr), d0, a0);
                        a1 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 1)), d0, a1);
                        a2 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 2)), d0, a2);
                        a3 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 3)), d0, a3);
                        b0 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, H)), d1, b0);
                        b1 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, H + 1)), d1, b1);
                        b2 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, H + 2)), d1, b2);
                        b3 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, H + 3)), d1, b3);
                        c0 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 2 * H)), d2, c0);
                        c1 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 2 * H + 1)), d2, c1);
                        c2 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 2 * H + 2)), d2, c2);
                        c3 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 2 * H + 3)), d2, c3);
                        e0 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 3 * H)), d3, e0);
                        e1 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 3 * H + 1)), d3, e1);
                        e2 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 3 * H + 2)), d3, e2);
                        e3 = VS.FusedMultiplyAdd(VS.Create(Unsafe.Add(ref wr, 3 * H + 3)), d3, e3);
                        wr = ref Unsafe.Add(ref wr, 4 * H);
                        d = ref Unsafe.Add(ref d, 4);
                    }
                    Unsafe.Add(ref cr, j) = (a0 + b0) + (c0 + e0);
                    Unsafe.Add(ref cr, j + 1) = (a1 + b1) + (c1 + e1);
                    Unsafe.Add(ref cr, j + 2) = (a2 + b2) + (c2 + e2);
                    Unsafe.Add(ref cr, j + 3) = (a3 + b3) + (c3 + e3);
                }
            }
            WeightGradients(grp, begin, end);
            if (begin == 0 || (length - begin) % Flush == 0)
            {
                // b_hh of r and z has b_ih's gradient (the same da): its accumulators are only read here.
                acc.Slice(GruModel.BihOffset, 2 * H).CopyTo(acc.Slice(GruModel.BhhOffset, 2 * H));
                FlushInto(grp.GradSum, acc);
            }
            end = begin;
        }
    }

    /// <summary>
    /// One unit k of a step's back-propagation, from δ = dL/dout·w_k + dL/dh'_k (the carry <paramref name="carry"/>) and the
    /// step's h_k (<paramref name="s"/>), hn_k, r, z and n:
    ///   t = δ(1 − z),  da_n = t(1 − n²),  dhn = da_n·r,  da_r = dhn·hn·(1 − r),  da_z = t·z·(h − n),
    /// and δ·z, the direct path to h_prev (<paramref name="direct"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unit(V go, float w, ref V s, V hn, ref V da, ref V carry, ref V direct, V r, V z, V n)
    {
        V delta = VS.FusedMultiplyAdd(go, VS.Create(w), carry);
        V t = delta * (V.One - z);
        V dan = t * VS.FusedMultiplyAdd(-n, n, V.One);
        direct = delta * z;
        V dhn = dan * r;
        Unsafe.Add(ref da, DaR) = dhn * hn * (V.One - r);
        Unsafe.Add(ref da, DaZ) = t * z * (s - n);
        Unsafe.Add(ref da, DaHn) = dhn;
        Unsafe.Add(ref da, DaN) = dan;
    }

    /// <summary>
    /// The weight gradients of steps [<paramref name="begin"/>, <paramref name="end"/>), added to the float accumulators:
    /// dW_h[g, k, j] += Σ_t da_g,k·h_j (g = r, z with da_r, da_z; g = n with dhn), dW_i[g, k] += Σ_t da_g,k·u (n: da_n),
    /// db_i[g, k] += Σ_t da_g,k (n: da_n), db_h[g, k] += Σ_t da_g,k (n: dhn), dw[k] += Σ_t dL/dout·h'_k, db += Σ_t dL/dout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradients(Group grp, int begin, int end)
    {
        ref V st = ref grp.Store;
        ref V da0 = ref Unsafe.As<float, V>(ref grp.Da.First);
        ref V uu = ref grp.U;
        ref V gg = ref grp.G;
        ref V acc = ref Unsafe.As<float, V>(ref grp.Acc.First);
        int count = end - begin;
        ref V s = ref Unsafe.Add(ref st, begin * Stride);
        ref V d = ref da0;
        // dW_h three rows at a time (24 accumulators, three gradients and one h_j in registers: 32 with AVX-512), each
        // h_j loaded once for three rows.
        for (int row = 0; row < 3 * H; row += 3)
            OuterThree(ref Unsafe.Add(ref d, row), ref s, count, ref Unsafe.Add(ref acc, GruModel.WhhOffset + row * H));
        // The biases and the input weights, eight gradient columns at a time: b_ih of r and z, W_i of r and z (Σ da,
        // Σ da·u; b_hh of r and z is copied from b_ih's sums when they are flushed); b_hh of n (Σ dhn); b_ih and W_i of n
        // (Σ da_n, Σ da_n·u).
        ref V up = ref Unsafe.Add(ref uu, begin);
        Sums(ref Unsafe.Add(ref d, DaR), ref up, count, ref Unsafe.Add(ref acc, GruModel.BihOffset), ref Unsafe.Add(ref acc, GruModel.WihOffset));
        Sums(ref Unsafe.Add(ref d, DaZ), ref up, count, ref Unsafe.Add(ref acc, GruModel.BihOffset + H), ref Unsafe.Add(ref acc, GruModel.WihOffset + H));
        Sums(ref Unsafe.Add(ref d, DaN), ref up, count, ref Unsafe.Add(ref acc, GruModel.BihOffset + 2 * H), ref Unsafe.Add(ref acc, GruModel.WihOffset + 2 * H));
        V x0 = V.Zero, x1 = V.Zero, x2 = V.Zero, x3 = V.Zero, x4 = V.Zero, x5 = V.Zero, x6 = V.Zero, x7 = V.Zero;
        ref V c = ref Unsafe.Add(ref d, DaHn);
        for (int t = 0; t < count; t++)
        {
            x0 += c; x1 += Unsafe.Add(ref c, 1); x2 += Unsafe.Add(ref c, 2); x3 += Unsafe.Add(ref c, 3);
            x4 += Unsafe.Add(ref c, 4); x5 += Unsafe.Add(ref c, 5); x6 += Unsafe.Add(ref c, 6); x7 += Unsafe.Add(ref c, 7);
            c = ref Unsafe.Add(ref c, DaStride);
        }
        AddEight(ref Unsafe.Add(ref acc, GruModel.BhhOffset + 2 * H), x0, x1, x2, x3, x4, x5, x6, x7);
        // The Linear layer: dL/dout·h' where h' of step t is the h_prev stored with step t + 1.
        Outer(ref Unsafe.Add(ref gg, begin), ref Unsafe.Add(ref st, (begin + 1) * Stride), count, ref Unsafe.Add(ref acc, GruModel.LinWOffset),
            ref Unsafe.Add(ref acc, GruModel.LinBOffset));
    }

    /// <summary>
    /// Over <paramref name="count"/> steps: Σ g·h_j into <paramref name="outW"/>[0..8) (h_j the first H vectors of each store
    /// record, g one vector a step) and Σ g into <paramref name="sum"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Outer(ref V g, ref V s, int count, ref V outW, ref V sum)
    {
        V a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero, a6 = V.Zero, a7 = V.Zero, sh = V.Zero;
        for (int t = 0; t < count; t++)
        {
            V d = g;
            a0 = VS.FusedMultiplyAdd(d, s, a0);
            a1 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 1), a1);
            a2 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 2), a2);
            a3 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 3), a3);
            a4 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 4), a4);
            a5 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 5), a5);
            a6 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 6), a6);
            a7 = VS.FusedMultiplyAdd(d, Unsafe.Add(ref s, 7), a7);
            sh += d;
            s = ref Unsafe.Add(ref s, Stride);
            g = ref Unsafe.Add(ref g, 1);
        }
        AddEight(ref outW, a0, a1, a2, a3, a4, a5, a6, a7);
        sum += sh;
    }

    /// <summary>
    /// Over <paramref name="count"/> steps: Σ g_ρ·h_j into <paramref name="outW"/>[8ρ + j] for three gradient columns ρ of the
    /// block buffer (at <paramref name="d"/>, one record of <see cref="DaStride"/> vectors a step) and the h_j of each store record.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterThree(ref V d, ref V s, int count, ref V outW)
    {
        V a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero, a6 = V.Zero, a7 = V.Zero;
        V b0 = V.Zero, b1 = V.Zero, b2 = V.Zero, b3 = V.Zero, b4 = V.Zero, b5 = V.Zero, b6 = V.Zero, b7 = V.Zero;
        V c0 = V.Zero, c1 = V.Zero, c2 = V.Zero, c3 = V.Zero, c4 = V.Zero, c5 = V.Zero, c6 = V.Zero, c7 = V.Zero;
        for (int t = 0; t < count; t++)
        {
            V g0 = d, g1 = Unsafe.Add(ref d, 1), g2 = Unsafe.Add(ref d, 2);
            V h = s;
            a0 = VS.FusedMultiplyAdd(g0, h, a0); b0 = VS.FusedMultiplyAdd(g1, h, b0); c0 = VS.FusedMultiplyAdd(g2, h, c0);
            h = Unsafe.Add(ref s, 1);
            a1 = VS.FusedMultiplyAdd(g0, h, a1); b1 = VS.FusedMultiplyAdd(g1, h, b1); c1 = VS.FusedMultiplyAdd(g2, h, c1);
            h = Unsafe.Add(ref s, 2);
            a2 = VS.FusedMultiplyAdd(g0, h, a2); b2 = VS.FusedMultiplyAdd(g1, h, b2); c2 = VS.FusedMultiplyAdd(g2, h, c2);
            h = Unsafe.Add(ref s, 3);
            a3 = VS.FusedMultiplyAdd(g0, h, a3); b3 = VS.FusedMultiplyAdd(g1, h, b3); c3 = VS.FusedMultiplyAdd(g2, h, c3);
            h = Unsafe.Add(ref s, 4);
            a4 = VS.FusedMultiplyAdd(g0, h, a4); b4 = VS.FusedMultiplyAdd(g1, h, b4); c4 = VS.FusedMultiplyAdd(g2, h, c4);
            h = Unsafe.Add(ref s, 5);
            a5 = VS.FusedMultiplyAdd(g0, h, a5); b5 = VS.FusedMultiplyAdd(g1, h, b5); c5 = VS.FusedMultiplyAdd(g2, h, c5);
            h = Unsafe.Add(ref s, 6);
            a6 = VS.FusedMultiplyAdd(g0, h, a6); b6 = VS.FusedMultiplyAdd(g1, h, b6); c6 = VS.FusedMultiplyAdd(g2, h, c6);
            h = Unsafe.Add(ref s, 7);
            a7 = VS.FusedMultiplyAdd(g0, h, a7); b7 = VS.FusedMultiplyAdd(g1, h, b7); c7 = VS.FusedMultiplyAdd(g2, h, c7);
            s = ref Unsafe.Add(ref s, Stride);
            d = ref Unsafe.Add(ref d, DaStride);
        }
        AddEight(ref outW, a0, a1, a2, a3, a4, a5, a6, a7);
        AddEight(ref Unsafe.Add(ref outW, H), b0, b1, b2, b3, b4, b5, b6, b7);
        AddEight(ref Unsafe.Add(ref outW, 2 * H), c0, c1, c2, c3, c4, c5, c6, c7);
    }

    /// <summary>
    /// Over <paramref name="count"/> steps, for eight gradient columns g_k of the block buffer (at <paramref name="d"/>):
    /// Σ g_k into <paramref name="sum"/>[k] and Σ g_k·u into <paramref name="input"/>[k].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sums(ref V d, ref V up, int count, ref V sum, ref V input)
    {
        V a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero, a6 = V.Zero, a7 = V.Zero;
        V b0 = V.Zero, b1 = V.Zero, b2 = V.Zero, b3 = V.Zero, b4 = V.Zero, b5 = V.Zero, b6 = V.Zero, b7 = V.Zero;
        for (int t = 0; t < count; t++)
        {
            V u = up;
            V g = d; a0 += g; b0 = VS.FusedMultiplyAdd(g, u, b0);
            g = Unsafe.Add(ref d, 1); a1 += g; b1 = VS.FusedMultiplyAdd(g, u, b1);
            g = Unsafe.Add(ref d, 2); a2 += g; b2 = VS.FusedMultiplyAdd(g, u, b2);
            g = Unsafe.Add(ref d, 3); a3 += g; b3 = VS.FusedMultiplyAdd(g, u, b3);
            g = Unsafe.Add(ref d, 4); a4 += g; b4 = VS.FusedMultiplyAdd(g, u, b4);
            g = Unsafe.Add(ref d, 5); a5 += g; b5 = VS.FusedMultiplyAdd(g, u, b5);
            g = Unsafe.Add(ref d, 6); a6 += g; b6 = VS.FusedMultiplyAdd(g, u, b6);
            g = Unsafe.Add(ref d, 7); a7 += g; b7 = VS.FusedMultiplyAdd(g, u, b7);
            d = ref Unsafe.Add(ref d, DaStride);
            up = ref Unsafe.Add(ref up, 1);
        }
        AddEight(ref sum, a0, a1, a2, a3, a4, a5, a6, a7);
        AddEight(ref input, b0, b1, b2, b3, b4, b5, b6, b7);
    }

    /// <summary>Adds eight vectors to the eight at <paramref name="dst"/> (a block's sums into the float accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddEight(ref V dst, V a0, V a1, V a2, V a3, V a4, V a5, V a6, V a7)
    {
        dst += a0;
        Unsafe.Add(ref dst, 1) += a1;
        Unsafe.Add(ref dst, 2) += a2;
        Unsafe.Add(ref dst, 3) += a3;
        Unsafe.Add(ref dst, 4) += a4;
        Unsafe.Add(ref dst, 5) += a5;
        Unsafe.Add(ref dst, 6) += a6;
        Unsafe.Add(ref dst, 7) += a7;
    }

    /// <summary>Adds the float accumulators' lanes to the double sums (lanes in order) and clears them.</summary>
    private static void FlushInto(double[] sum, Span<V> acc)
    {
        for (int i = 0; i < GruModel.Count; i++)
        {
            double s = 0;
            for (int l = 0; l < Lanes; l++) s += acc[i][l];
            sum[i] += s;
            acc[i] = V.Zero;
        }
    }
}
