using System.Diagnostics;

namespace Newtone.Study;

/// <summary>
/// Training of the GRU make-up gain (docs/model.md §7): per epoch every row is circularly shifted by its own offset
/// (k·T/N for k = 0…N−1, randomly permuted, on top of the previous shifts), the time axis is cut into
/// consecutive chunks (the last one may be shorter), the hidden state is carried from chunk to chunk
/// (from zero each epoch) with truncated back-propagation, the loss is the pre-filtered ESR, Adam takes one
/// step per chunk. The epoch loss is the running mean of the chunk losses; <c>best.json</c> is written when it
/// improves, <c>last.json</c> after every epoch (training resumes from it exactly); training stops after
/// <see cref="GruTrainingOptions.Epochs"/> epochs or <see cref="GruTrainingOptions.Patience"/> epochs without improvement.
/// </summary>
public static class GruTrainer
{
    /// <summary>Checkpoint file names.</summary>
    public const string BestFile = "best.json", LastFile = "last.json";

    /// <summary>Trains (or resumes) into <paramref name="outDir"/>; returns the final state.</summary>
    public static GruCheckpoint Train(GruTrainingData data, GruTrainingOptions options, string outDir, IProgress<GruTrainingEvent>? progress = null,
        CancellationToken cancel = default, int maxThreads = 0)
    {
        int rows = data.Inputs.Length, T = data.Length;
        if (rows == 0 || T == 0) throw new InputException("no training data");
        if (options.Chunk < 1) throw new ArgumentOutOfRangeException(nameof(options), "chunk must be positive");
        if (Math.Min(options.Chunk, T) > GruBatchSingle.MaxChunk)
            throw new InputException(FormattableString.Invariant(
                $"a chunk of {Math.Min(options.Chunk, T)} samples is longer than one batch holds ({GruBatchSingle.MaxChunk}); choose a shorter chunk"));
        if (data.SampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(data), "the sample rate must be positive");
        Directory.CreateDirectory(outDir);
        string lastPath = Path.Combine(outDir, LastFile), bestPath = Path.Combine(outDir, BestFile);

        GruModel model;
        Adam adam = new(GruModel.Count, options.LearningRate);
        long[] shifts = new long[rows];
        int startEpoch = 0, bestEpoch = 0, bad = 0;
        double best = double.PositiveInfinity;
        if (File.Exists(lastPath))
        {
            var last = GruCheckpoint.Load(lastPath);
            if (!last.Rows.SequenceEqual(data.Names) || last.Samples != T)
                throw new InputException($"{lastPath}: was trained on other rows or lengths; train into a new folder or delete it");
            if (last.SampleRate != data.SampleRate)
                throw new InputException(FormattableString.Invariant(
                    $"{lastPath}: was trained at {last.SampleRate} Hz; the rows are {data.SampleRate} Hz; train into a new folder or delete it"));
            if (last.Options with { Epochs = options.Epochs, Patience = options.Patience } != options with { Epochs = options.Epochs, Patience = options.Patience })
                throw new InputException($"{lastPath}: was trained with other options (learning rate, chunk, seed); train into a new folder");
            model = last.Model();
            if (last.Optimizer is { } a)
            {
                a.M.CopyTo(adam.M, 0);
                a.V.CopyTo(adam.V, 0);
                adam.Step = a.Step;
            }
            shifts = [.. last.Shifts];
            startEpoch = last.Epoch;
            best = last.BestLoss;
            bestEpoch = last.BestEpoch;
            bad = last.EpochsWithoutImprovement;
            bool stopped = startEpoch >= options.Epochs || bad >= options.Patience;
            progress?.Report(new GruTrainingMessage($"resuming from {lastPath}: {startEpoch} epoch(s) done, best loss (ESR) {100 * best:F4} % at epoch {bestEpoch}"));
            if (stopped)
            {
                progress?.Report(new GruTrainingMessage("training had already finished"));
                return last;
            }
        }
        else
        {
            model = GruModel.Initialise(options.Seed);
            progress?.Report(new GruTrainingMessage($"new model (seed {options.Seed}): {rows} rows × {T} samples, chunks of {options.Chunk}"));
        }

        var batch = new GruBatchSingle(rows, Math.Min(options.Chunk, T)) { MaxThreads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
        var grad = new double[GruModel.Count];
        int chunks = (T + options.Chunk - 1) / options.Chunk;
        GruCheckpoint Snapshot(int epoch, double loss, bool finished, string? reason) => new()
        {
            StateDict = GruCheckpoint.StateDictOf(model),
            Epoch = epoch,
            Loss = loss,
            BestLoss = best,
            BestEpoch = bestEpoch,
            EpochsWithoutImprovement = bad,
            Finished = finished,
            StopReason = reason,
            Options = options,
            Optimizer = new AdamJson(adam.Step, [.. adam.M], [.. adam.V]),
            Shifts = [.. shifts],
            Rows = data.Names,
            Samples = T,
            SampleRate = data.SampleRate,
        };

        GruCheckpoint state = Snapshot(startEpoch, double.NaN, false, null);
        for (int epoch = startEpoch + 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // Circular shifts: offsets k·T/N, randomly permuted (seeded per epoch), added to the previous ones.
            var perm = new Rng(options.Seed * 0x9E3779B97F4A7C15UL + (ulong)epoch).Permutation(rows);
            for (int r = 0; r < rows; r++) shifts[r] = (shifts[r] + (long)perm[r] * T / rows) % T;
            var hidden = Enumerable.Range(0, rows).Select(_ => new double[GruModel.Hidden]).ToArray();
            var starts = new int[rows];
            double sum = 0;
            for (int c = 0; c < chunks; c++)
            {
                cancel.ThrowIfCancellationRequested();
                int n0 = c * options.Chunk, len = Math.Min(options.Chunk, T - n0);
                // rolled[n] = x[(n − s) mod T]
                for (int r = 0; r < rows; r++) starts[r] = (int)(((n0 - shifts[r]) % T + T) % T);
                double loss = batch.Chunk(model, data.Inputs, data.Targets, starts, len, hidden, grad);
                adam.Update(model.Parameters, grad);
                sum += loss;
                progress?.Report(new GruChunkReport(epoch, c + 1, chunks, loss, sum / (c + 1)));
            }
            double epochLoss = sum / chunks;
            bool improved = epochLoss < best;
            if (improved)
            {
                best = epochLoss;
                bestEpoch = epoch;
                bad = 0;
            }
            else
            {
                bad++;
            }
            string? reason = epoch >= options.Epochs ? "epochs" : bad >= options.Patience ? "no improvement" : null;
            state = Snapshot(epoch, epochLoss, reason is not null, reason);
            if (improved) state.Save(bestPath);
            state.Save(lastPath);
            double secs = clock.Elapsed.TotalSeconds;
            progress?.Report(new GruEpochReport(epoch, epochLoss, best, improved, secs, (double)rows * T / secs));
            if (reason is not null)
            {
                progress?.Report(new GruTrainingMessage($"stopped after epoch {epoch} ({reason}); best loss (ESR) {100 * best:F4} % at epoch {bestEpoch}"));
                break;
            }
        }
        return state;
    }

    /// <summary>
    /// The training rows of docs/model.md §7: every file under <paramref name="sourceDir"/> whose name contains
    /// <paramref name="pattern"/> and that is longer than <paramref name="minSeconds"/>, paired with the file at
    /// the same relative path under <paramref name="targetRoot"/>; all trimmed to the shortest length. All files must share one
    /// sample rate (the rate the model is trained at, recorded in its checkpoints).
    /// </summary>
    public static GruTrainingData LoadRows(string sourceDir, string targetRoot, string pattern, double minSeconds, IProgress<string>? log = null)
    {
        if (!Directory.Exists(sourceDir)) throw new InputException($"{sourceDir}: folder not found");
        if (!Directory.Exists(targetRoot)) throw new InputException($"{targetRoot}: folder not found");
        var files = Directory.EnumerateFiles(sourceDir, "*.wav", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains(pattern, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        var pairs = new List<(string Rel, string Source, string Target, long Frames, int Rate)>();
        foreach (var f in files)
        {
            var info = WavFile.ReadInfo(f);
            if (info.Seconds <= minSeconds) continue;
            string rel = Path.GetRelativePath(sourceDir, f).Replace('\\', '/');
            string target = Path.Combine(targetRoot, rel);
            if (!File.Exists(target)) throw new InputException($"{target}: no target for {f} (same relative path under {targetRoot})");
            var ti = WavFile.ReadInfo(target);
            if (ti.SampleRate != info.SampleRate) throw new InputException($"{target}: sample rate {ti.SampleRate} Hz differs from {f}'s {info.SampleRate} Hz");
            pairs.Add((rel, f, target, Math.Min(info.Frames, ti.Frames), info.SampleRate));
        }
        if (pairs.Count == 0)
            throw new InputException($"{sourceDir}: no rendered file whose name contains '{pattern}' is longer than {minSeconds:G} s");
        if (pairs.FirstOrDefault(p => p.Rate != pairs[0].Rate) is { Source: not null } other)
            throw new InputException(FormattableString.Invariant(
                $"{sourceDir}: the files differ in sample rate ({pairs[0].Rel} is {pairs[0].Rate} Hz, {other.Rel} is {other.Rate} Hz); train on one rate"));
        int length = (int)Math.Min(int.MaxValue, pairs.Min(p => p.Frames));
        var inputs = new float[pairs.Count][];
        var targets = new float[pairs.Count][];
        for (int i = 0; i < pairs.Count; i++)
        {
            inputs[i] = WavFile.Read(pairs[i].Source).Channels[0][..length];
            targets[i] = WavFile.Read(pairs[i].Target).Channels[0][..length];
            log?.Report($"  row {i + 1}: {pairs[i].Rel}");
        }
        return new GruTrainingData(inputs, targets, pairs.Select(p => p.Rel).ToArray(), pairs[0].Rate);
    }
}
