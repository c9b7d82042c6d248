
namespace Newtone.Tests;

/// <summary>Back-propagation through time against central finite differences of the double-precision loss.</summary>
public class GruGradientTests
{
    [Fact]
    public void GradientOfEveryWeightMatchesFiniteDifferences()
    {
        var rng = new Rng(5);
        const int rows = 6, length = 300;   // two SIMD groups, the second half full
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, length + 10).Select(_ => (float)(0.5 * rng.Gaussian())).ToArray()).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.8 * Math.Tanh(2 * v) + 0.05 * rng.Gaussian())).ToArray()).ToArray();
        var h0 = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, GruModel.Hidden).Select(_ => rng.Uniform(-0.5, 0.5)).ToArray()).ToArray();
        var model = GruModel.Initialise(3);
        var batch = new GruBatch(rows, length);

        double Loss(GruModel m)
        {
            var h = h0.Select(r => (double[])r.Clone()).ToArray();
            return batch.Chunk(m, inputs, targets, 7, length, h, null);
        }

        var grad = new double[GruModel.Count];
        var h1 = h0.Select(r => (double[])r.Clone()).ToArray();
        double loss = batch.Chunk(model, inputs, targets, 7, length, h1, grad);
        Assert.Equal(Loss(model), loss, 14);

        const double step = 1e-6;
        double worst = 0;
        for (int i = 0; i < GruModel.Count; i++)
        {
            var plus = model.Clone(); plus.Parameters[i] += step;
            var minus = model.Clone(); minus.Parameters[i] -= step;
            double fd = (Loss(plus) - Loss(minus)) / (2 * step);
            double err = Math.Abs(fd - grad[i]) / Math.Max(Math.Abs(fd), 1e-3 * grad.Max(Math.Abs));
            worst = Math.Max(worst, err);
            Assert.True(err < 1e-6, $"parameter {i}: backprop {grad[i]:R}, finite difference {fd:R}");
        }
    }

    [Fact]
    public void SinglePrecisionTrainingBatchAgreesWithTheDoubleOne()
    {
        // The trainer's GruBatchSingle (8 rows per float vector) against GruBatch (double, checked above by finite
        // differences): 11 rows (two groups, the second partial), several chunks with the state carried.
        var rng = new Rng(8);
        const int rows = 11, length = 3000;
        var inputs = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(length / 16000.0 + 0.1, 16000, (ulong)r)[..length]).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.8 * Math.Tanh(2 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
        var model = GruModel.Initialise(5);
        var wide = new GruBatch(rows, 1000);
        var narrow = new GruBatchSingle(rows, 1000);
        var hd = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        var hs = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        var gd = new double[GruModel.Count];
        var gs = new double[GruModel.Count];
        var pd = inputs.Select(_ => new float[1000]).ToArray();
        var ps = inputs.Select(_ => new float[1000]).ToArray();
        for (int c = 0; c < 3; c++)
        {
            double ld = wide.Chunk(model, inputs, targets, c * 1000, 1000, hd, gd, pd);
            double ls = narrow.Chunk(model, inputs, targets, c * 1000, 1000, hs, gs, ps);
            Assert.True(Math.Abs(ls - ld) < 1e-4 * ld, $"chunk {c}: loss {ls:R} (single) vs {ld:R} (double)");
            double scale = gd.Max(Math.Abs);
            for (int i = 0; i < GruModel.Count; i++)
                Assert.True(Math.Abs(gs[i] - gd[i]) < 5e-5 * scale, $"chunk {c}, parameter {i}: {gs[i]:R} (single) vs {gd[i]:R} (double)");
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < 1000; t++) Assert.Equal(pd[r][t], ps[r][t], 2e-5);
                for (int k = 0; k < GruModel.Hidden; k++) Assert.Equal(hd[r][k], hs[r][k], 2e-5);
            }
        }
    }

    [Fact]
    public void ChunksLongerThanASegmentGiveTheSameBitsOnAnyNumberOfThreads()
    {
        // A chunk of several segments (the unit a thread takes; the last one partial, and not a whole number of 16-step
        // blocks) for 27 rows (three groups and a row set of three rows, or four groups without AVX-512): against the double
        // batch, and bit for bit the same on one thread as on two and three, whichever thread ran which segment; the state
        // carried into a second chunk.
        var rng = new Rng(21);
        const int rows = 27, length = 2600;
        var inputs = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(2 * length / 16000.0 + 0.1, 16000, (ulong)(60 + r))[..(2 * length)]).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.6 * Math.Tanh(3 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
        var model = GruModel.Initialise(13);
        var wide = new GruBatch(rows, length);
        var one = new GruBatchSingle(rows, length) { MaxThreads = 1 };
        var two = new GruBatchSingle(rows, length) { MaxThreads = 2 };
        var three = new GruBatchSingle(rows, length) { MaxThreads = 3 };
        double[][] State() => Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        float[][] Outputs() => inputs.Select(_ => new float[length]).ToArray();
        var (hd, h1, h2, h3) = (State(), State(), State(), State());
        var (pd, p1, p2, p3) = (Outputs(), Outputs(), Outputs(), Outputs());
        var (gd, g1, g2, g3) = (new double[GruModel.Count], new double[GruModel.Count], new double[GruModel.Count], new double[GruModel.Count]);
        for (int c = 0; c < 2; c++)
        {
            double ld = wide.Chunk(model, inputs, targets, c * length, length, hd, gd, pd);
            double l1 = one.Chunk(model, inputs, targets, c * length, length, h1, g1, p1);
            double l2 = two.Chunk(model, inputs, targets, c * length, length, h2, g2, p2);
            double l3 = three.Chunk(model, inputs, targets, c * length, length, h3, g3, p3);
            Assert.True(Math.Abs(l1 - ld) < 1e-4 * ld, $"chunk {c}: loss {l1:R} (single) vs {ld:R} (double)");
            double scale = gd.Max(Math.Abs);
            for (int i = 0; i < GruModel.Count; i++)
                Assert.True(Math.Abs(g1[i] - gd[i]) < 5e-5 * scale, $"chunk {c}, parameter {i}: {g1[i]:R} (single) vs {gd[i]:R} (double)");
            AssertSameBits(l1, g1, h1, p1, l2, g2, h2, p2);
            AssertSameBits(l1, g1, h1, p1, l3, g3, h3, p3);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < length; t += 97) Assert.Equal(pd[r][t], p1[r][t], 2e-5);
                for (int k = 0; k < GruModel.Hidden; k++) Assert.Equal(hd[r][k], h1[r][k], 2e-5);
            }
        }
        // The loss alone (no back-propagation: half the segments) is the loss with it.
        var h5 = State();
        var lossOnly = new GruBatchSingle(rows, length) { MaxThreads = 2 }.Chunk(model, inputs, targets, 0, length, h5, null);
        var h4 = State();
        Assert.Equal(new GruBatchSingle(rows, length) { MaxThreads = 1 }.Chunk(model, inputs, targets, 0, length, h4, new double[GruModel.Count]), lossOnly);
        for (int r = 0; r < rows; r++) Assert.Equal(h4[r], h5[r]);
    }

    [Fact]
    public void RowsThatWrapAroundTheirEndAreReadInPlaceByBothBatches()
    {
        // Circularly shifted rows (the trainer's epochs): each row starts elsewhere and wraps around its end within the
        // chunk, some more than once (rows shorter than the chunk), with a length that is not a multiple of 8. The single
        // and double batches gather independently; both must read x[(start + t) mod T].
        var rng = new Rng(12);
        const int rows = 10, length = 1203;
        int[] lengths = [5000, 700, 5000, 1300, 5000, 5000, 64, 5000, 2500, 5000];
        var inputs = lengths.Select((n, r) => MusicGenerator.Generate(n / 16000.0 + 0.1, 16000, (ulong)(40 + r))[..n]).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.7 * Math.Tanh(2 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
        int[] starts = lengths.Select(n => (int)(rng.NextDouble() * n)).ToArray();
        starts[0] = 5000 - 3;   // wraps after three samples
        var model = GruModel.Initialise(9);
        var hd = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        var hs = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        var gd = new double[GruModel.Count];
        var gs = new double[GruModel.Count];
        var pd = inputs.Select(_ => new float[length]).ToArray();
        var ps = inputs.Select(_ => new float[length]).ToArray();
        double ld = new GruBatch(rows, length).Chunk(model, inputs, targets, starts, length, hd, gd, pd);
        double ls = new GruBatchSingle(rows, length).Chunk(model, inputs, targets, starts, length, hs, gs, ps);
        Assert.True(Math.Abs(ls - ld) < 1e-4 * ld, $"loss {ls:R} (single) vs {ld:R} (double)");
        double scale = gd.Max(Math.Abs);
        for (int i = 0; i < GruModel.Count; i++)
            Assert.True(Math.Abs(gs[i] - gd[i]) < 5e-5 * scale, $"parameter {i}: {gs[i]:R} (single) vs {gd[i]:R} (double)");
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < length; t++) Assert.Equal(pd[r][t], ps[r][t], 2e-5);
        // And the prediction really is the model run over the wrapped row.
        var wrapped = Enumerable.Range(0, length).Select(t => inputs[6][(starts[6] + t) % lengths[6]]).ToArray();
        var own = new float[length];
        new GruStream(model, 16000).Process(wrapped, own);
        for (int t = 0; t < length; t++) Assert.Equal(own[t], ps[6][t], 2e-5);
    }

    /// <summary>Two runs' loss, gradient, states and predictions, bit for bit the same.</summary>
    private static void AssertSameBits(double la, double[] ga, double[][] ha, float[][] pa, double lb, double[] gb, double[][] hb, float[][] pb)
    {
        Assert.Equal(la, lb);
        Assert.Equal(ga, gb);
        for (int r = 0; r < ha.Length; r++)
        {
            Assert.Equal(ha[r], hb[r]);
            Assert.Equal(pa[r], pb[r]);
        }
    }

    /// <summary>Runs where the processor runs <see cref="GruRowSet"/> (AVX-512); skipped elsewhere.</summary>
    public sealed class RowSetFactAttribute : FactAttribute
    {
        public RowSetFactAttribute()
        {
            if (!GruRowSet.Supported) Skip = "no AVX-512 here: the batch puts every row in groups of eight";
        }
    }

    [RowSetFact]
    public void RowsLeftAfterTheGroupsOfEightGiveTheSameAsAGroupOfTheirOwn()
    {
        // The rows left after the groups of eight (one to six) run in row sets of up to four, each row's units across the
        // lanes, with their own forward pass, back-propagation and gradient sums. Against the same rows in groups of eight
        // (the other layout) and the double batch: 1 and 4 rows (a set alone: one pair, two pairs), 5 (two sets), 9, 12 and
        // 14 (a group and two sets); chunks of three segments (the last partial, 2600 not a multiple of the 256-step flush)
        // with wrapped rows and the state carried into a second chunk, on one thread and on two.
        var rng = new Rng(31);
        const int length = 2600;
        foreach (int rows in new[] { 1, 4, 5, 9, 12, 14 })
        {
            var inputs = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(3 * length / 16000.0, 16000, (ulong)(80 + r))[..(2 * length + 7 * r + 1)]).ToArray();
            var targets = inputs.Select(x => x.Select(v => (float)(0.7 * Math.Tanh(2.5 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
            var model = GruModel.Initialise((ulong)(20 + rows));
            var wide = new GruBatch(rows, length);
            var groups = new GruBatchSingle(rows, length, rowSet: false) { MaxThreads = 1 };
            var set = new GruBatchSingle(rows, length) { MaxThreads = 1 };
            var setTwo = new GruBatchSingle(rows, length) { MaxThreads = 2 };
            double[][] State() => Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, GruModel.Hidden).Select(_ => rng.Uniform(-0.3, 0.3)).ToArray()).ToArray();
            float[][] Outputs() => inputs.Select(_ => new float[length]).ToArray();
            var hd = State();
            var (h1, h2, h3) = (hd.Select(h => (double[])h.Clone()).ToArray(), hd.Select(h => (double[])h.Clone()).ToArray(), hd.Select(h => (double[])h.Clone()).ToArray());
            var (pd, p1, p2, p3) = (Outputs(), Outputs(), Outputs(), Outputs());
            var (gd, g1, g2, g3) = (new double[GruModel.Count], new double[GruModel.Count], new double[GruModel.Count], new double[GruModel.Count]);
            for (int c = 0; c < 2; c++)
            {
                int[] starts = inputs.Select((x, r) => (c * length + 311 * r) % x.Length).ToArray();
                double ld = wide.Chunk(model, inputs, targets, starts, length, hd, gd, pd);
                double l1 = groups.Chunk(model, inputs, targets, starts, length, h1, g1, p1);
                double l2 = set.Chunk(model, inputs, targets, starts, length, h2, g2, p2);
                double l3 = setTwo.Chunk(model, inputs, targets, starts, length, h3, g3, p3);
                string at = $"{rows} rows, chunk {c}";
                Assert.True(Math.Abs(l2 - l1) < 2e-5 * l1, $"{at}: loss {l2:R} (row set) vs {l1:R} (groups)");
                Assert.True(Math.Abs(l2 - ld) < 1e-4 * ld, $"{at}: loss {l2:R} (row set) vs {ld:R} (double)");
                double scale = gd.Max(Math.Abs);
                for (int i = 0; i < GruModel.Count; i++)
                {
                    Assert.True(Math.Abs(g2[i] - g1[i]) < 2e-5 * scale, $"{at}, parameter {i}: {g2[i]:R} (row set) vs {g1[i]:R} (groups)");
                    Assert.True(Math.Abs(g2[i] - gd[i]) < 5e-5 * scale, $"{at}, parameter {i}: {g2[i]:R} (row set) vs {gd[i]:R} (double)");
                }
                AssertSameBits(l2, g2, h2, p2, l3, g3, h3, p3);
                for (int r = 0; r < rows; r++)
                {
                    for (int t = 0; t < length; t++) Assert.True(Math.Abs(p2[r][t] - pd[r][t]) < 2e-5, $"{at}, row {r}, sample {t}: {p2[r][t]:R} vs {pd[r][t]:R} (double)");
                    for (int k = 0; k < GruModel.Hidden; k++) Assert.Equal(hd[r][k], h2[r][k], 2e-5);
                }
            }
        }
    }

    [RowSetFact]
    public void ALongChunksGradientStaysWithinItsTolerance()
    {
        // Summed in float over a long chunk, the gradient drifts from the double batch's unless the float sums go into
        // double every 256 steps, as they do: 2 rows (a row set) and 9 (a group and a set of one), 60000 steps. Seen:
        // 1.1e-7 of the largest element for both; flushed only at the chunk's start, 3.6e-6 (2 rows, the set's sums) and
        // 4.3e-7 (9 rows, the group's).
        var rng = new Rng(41);
        const int length = 60000;
        foreach (int rows in new[] { 2, 9 })
        {
            var inputs = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(length / 16000.0 + 0.1, 16000, (ulong)(120 + r))[..length]).ToArray();
            var targets = inputs.Select(x => x.Select(v => (float)(0.8 * Math.Tanh(2 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
            var model = GruModel.Initialise(6);
            var gd = new double[GruModel.Count];
            var gs = new double[GruModel.Count];
            double ld = new GruBatch(rows, length).Chunk(model, inputs, targets, 0, length, Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray(), gd);
            double ls = new GruBatchSingle(rows, length).Chunk(model, inputs, targets, 0, length, Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray(), gs);
            Assert.True(Math.Abs(ls - ld) < 1e-4 * ld, $"{rows} rows: loss {ls:R} (single) vs {ld:R} (double)");
            double scale = gd.Max(Math.Abs), worst = 0;
            for (int i = 0; i < GruModel.Count; i++) worst = Math.Max(worst, Math.Abs(gs[i] - gd[i]) / scale);
            Assert.True(worst < 3e-7, $"{rows} rows: gradient off the double batch's by {worst:E2} of its largest element");
        }
    }

    [Fact]
    public void AChunkThatFailsPartWayThrowsAndLeavesNothingBehind()
    {
        // A predictions array too short for one row fails that row's chain at the end of its forward pass, on one of two
        // threads: the chunk throws (it does not hang), and the next chunk gives what a fresh batch gives.
        var rng = new Rng(17);
        const int rows = 26, length = 2100;
        var inputs = Enumerable.Range(0, rows).Select(r => MusicGenerator.Generate(length / 16000.0 + 0.1, 16000, (ulong)(90 + r))[..length]).ToArray();
        var targets = inputs.Select(x => x.Select(v => (float)(0.7 * Math.Tanh(2 * v) + 0.01 * rng.Gaussian())).ToArray()).ToArray();
        var model = GruModel.Initialise(4);
        double[][] State() => Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
        float[][] Outputs() => inputs.Select(_ => new float[length]).ToArray();
        var used = new GruBatchSingle(rows, length) { MaxThreads = 2 };
        foreach (int bad in new[] { 3, rows - 1 })   // a group's row, the row set's (or the last group's)
        {
            var broken = Outputs();
            broken[bad] = new float[length / 2];
            Assert.ThrowsAny<SystemException>(() => used.Chunk(model, inputs, targets, 0, length, State(), new double[GruModel.Count], broken));
        }
        var (ha, hb) = (State(), State());
        var (pa, pb) = (Outputs(), Outputs());
        var (ga, gb) = (new double[GruModel.Count], new double[GruModel.Count]);
        double la = used.Chunk(model, inputs, targets, 0, length, ha, ga, pa);
        double lb = new GruBatchSingle(rows, length) { MaxThreads = 2 }.Chunk(model, inputs, targets, 0, length, hb, gb, pb);
        AssertSameBits(la, ga, ha, pa, lb, gb, hb, pb);
    }

    [Fact]
    public void BadRowsAndChunksAreRefusedNotRunOrLoopedOn()
    {
        var model = GruModel.Initialise(1);
        var h = new[] { new double[GruModel.Hidden] };
        var batch = new GruBatchSingle(1, 16);
        Assert.Throws<ArgumentException>(() => batch.Chunk(model, [Array.Empty<float>()], [Array.Empty<float>()], [0], 16, h, null));
        Assert.Throws<ArgumentException>(() => batch.Chunk(model, [new float[20]], [new float[10]], [0], 16, h, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Chunk(model, [new float[20]], [new float[20]], [20], 16, h, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruBatchSingle(1, GruBatchSingle.MaxChunk + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruBatchSingle(1, 0));
    }
}
