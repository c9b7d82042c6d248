
namespace Newtone.Study;

/// <summary>Runs the GRU over whole files, streaming, in parallel across files; outputs mirror the source tree.</summary>
public static class GruRenderer
{
    /// <summary>The source files (name contains <paramref name="pattern"/>) and their output paths.</summary>
    public static List<(string Source, string Output)> Plan(string sourceDir, string outDir, string pattern)
    {
        if (!Directory.Exists(sourceDir)) throw new InputException($"{sourceDir}: folder not found");
        PathGuard.OutputFolderOutside(outDir, sourceDir, "source tree");
        return Directory.EnumerateFiles(sourceDir, "*.wav", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains(pattern, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (f, Path.Combine(outDir, Path.GetRelativePath(sourceDir, f)))).ToList();
    }

    /// <summary>Renders one file (every channel through its own GRU state), atomically.</summary>
    public static long RenderFile(GruModel model, string source, string output, CancellationToken cancel = default)
    {
        using var reader = new WavStreamReader(source);
        int ch = reader.Info.Channels;
        var streams = Enumerable.Range(0, ch).Select(_ => new GruStream(model, reader.Info.SampleRate)).ToArray();
        using var writer = new WavStreamWriter(output, reader.Info.SampleRate, ch);
        const int block = 1 << 15;
        var buf = reader.NewBlock(block);
        long total = 0;
        int n;
        while ((n = reader.Read(buf, block)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            for (int c = 0; c < ch; c++) streams[c].Process(buf[c].AsSpan(0, n), buf[c].AsSpan(0, n));
            writer.Write(buf, n);
            total += n;
        }
        writer.Commit();
        return total;
    }

    /// <summary>
    /// Renders many files in parallel with a checkpoint's model; returns the samples written. Every source is checked first
    /// (<see cref="GruCheckpoint.ModelFor"/>): a file at another sample rate than the checkpoint was trained at is refused
    /// before anything is written.
    /// </summary>
    public static long Render(GruCheckpoint checkpoint, IReadOnlyList<(string Source, string Output)> jobs, IProgress<WorkProgress>? progress = null,
        int maxThreads = 0, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var model = checkpoint.Model();
        foreach (var (source, _) in jobs) checkpoint.ModelFor(WavFile.ReadInfo(source).SampleRate, source);
        return Render(model, jobs, progress, maxThreads, cancel);
    }

    /// <summary>Renders many files in parallel; returns the samples written.</summary>
    public static long Render(GruModel model, IReadOnlyList<(string Source, string Output)> jobs, IProgress<WorkProgress>? progress = null,
        int maxThreads = 0, CancellationToken cancel = default)
    {
        long total = 0;
        int files = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.ForEach(jobs, opts, j =>
        {
            Interlocked.Add(ref total, RenderFile(model, j.Source, j.Output, cancel));
            progress?.Report(new WorkProgress(Interlocked.Increment(ref files), jobs.Count, "files", j.Output));
        });
        return total;
    }
}
