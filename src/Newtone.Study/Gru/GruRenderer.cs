
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
        using var file = new Streamed(model, source, output);
        while (file.Next(Block) is int n && n > 0)
        {
            cancel.ThrowIfCancellationRequested();
            file.Run(n);
            file.Write(n);
        }
        file.Commit();
        return file.Total;
    }

    /// <summary>
    /// Renders two files at once (each exactly as <see cref="RenderFile"/> would): while both have audio, their channels run
    /// side by side in pairs (<see cref="GruStream.ProcessPair"/>), then the longer one alone.
    /// </summary>
    internal static long RenderPair(GruModel model, (string Source, string Output) first, (string Source, string Output) second, CancellationToken cancel = default)
    {
        using var a = new Streamed(model, first.Source, first.Output);
        using var b = new Streamed(model, second.Source, second.Output);
        int na = a.Next(Block), nb = b.Next(Block);
        while (na > 0 || nb > 0)
        {
            cancel.ThrowIfCancellationRequested();
            int pairs = Math.Min(a.Channels, b.Channels);
            for (int c = 0; c < pairs; c++)
                GruStream.ProcessPair(a.Streams[c], a.Buffer[c].AsSpan(0, na), a.Buffer[c].AsSpan(0, na), b.Streams[c], b.Buffer[c].AsSpan(0, nb), b.Buffer[c].AsSpan(0, nb));
            for (int c = pairs; c < a.Channels; c++) a.Streams[c].Process(a.Buffer[c].AsSpan(0, na), a.Buffer[c].AsSpan(0, na));
            for (int c = pairs; c < b.Channels; c++) b.Streams[c].Process(b.Buffer[c].AsSpan(0, nb), b.Buffer[c].AsSpan(0, nb));
            if (na > 0) a.Write(na);
            if (nb > 0) b.Write(nb);
            na = na > 0 ? a.Next(Block) : 0;
            nb = nb > 0 ? b.Next(Block) : 0;
        }
        a.Commit();
        b.Commit();
        return a.Total + b.Total;
    }

    private const int Block = 1 << 15;

    /// <summary>One file being rendered: its reader, writer, a block buffer and a GRU state per channel.</summary>
    private sealed class Streamed : IDisposable
    {
        private readonly WavStreamReader _reader;
        private readonly WavStreamWriter _writer;

        public Streamed(GruModel model, string source, string output)
        {
            _reader = new WavStreamReader(source);
            try
            {
                Channels = _reader.Info.Channels;
                Streams = Enumerable.Range(0, Channels).Select(_ => new GruStream(model, _reader.Info.SampleRate)).ToArray();
                Buffer = _reader.NewBlock(Block);
                _writer = new WavStreamWriter(output, _reader.Info.SampleRate, Channels);   // last: nothing after it can fail
            }
            catch
            {
                _reader.Dispose();
                throw;
            }
        }

        public int Channels { get; }
        public GruStream[] Streams { get; }
        public float[][] Buffer { get; }
        public long Total { get; private set; }

        /// <summary>Reads the next block; 0 at the end.</summary>
        public int Next(int frames) => _reader.Read(Buffer, frames);

        /// <summary>Runs every channel of the block alone.</summary>
        public void Run(int n)
        {
            for (int c = 0; c < Channels; c++) Streams[c].Process(Buffer[c].AsSpan(0, n), Buffer[c].AsSpan(0, n));
        }

        public void Write(int n)
        {
            _writer.Write(Buffer, n);
            Total += n;
        }

        public void Commit() => _writer.Commit();

        public void Dispose()
        {
            _writer?.Dispose();
            _reader.Dispose();
        }
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
        // With AVX-512, files two at a time per worker (their recurrences side by side in one vector, about 1.4 times one
        // file's speed), as many pairs as still leave every thread a file or pair of its own; otherwise one file per worker.
        int threads = opts.MaxDegreeOfParallelism;
        int pairs = GruStream.Runs512 ? Math.Min(jobs.Count / 2, Math.Max(0, jobs.Count - threads)) : 0;
        Parallel.For(0, jobs.Count - pairs, opts, i =>
        {
            if (i < pairs)
            {
                var (a, b) = (jobs[2 * i], jobs[2 * i + 1]);
                Interlocked.Add(ref total, RenderPair(model, a, b, cancel));
                progress?.Report(new WorkProgress(Interlocked.Increment(ref files), jobs.Count, "files", a.Output));
                progress?.Report(new WorkProgress(Interlocked.Increment(ref files), jobs.Count, "files", b.Output));
            }
            else
            {
                var j = jobs[pairs + i];
                Interlocked.Add(ref total, RenderFile(model, j.Source, j.Output, cancel));
                progress?.Report(new WorkProgress(Interlocked.Increment(ref files), jobs.Count, "files", j.Output));
            }
        });
        return total;
    }
}
