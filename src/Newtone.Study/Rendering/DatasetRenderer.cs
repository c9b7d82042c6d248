
namespace Newtone.Study;

/// <summary>
/// docs/model.md §6 rendering: for every fitted level, every dataset target of that mode and peak reduction
/// (<c>*c__&lt;mode&gt;__&lt;peak&gt;.wav</c>, any folder) is re-created by running its input through the fitted
/// compressor, with or without make-up gain, into a tree mirroring the dataset's relative paths.
/// </summary>
public static class DatasetRenderer
{
    /// <summary>The jobs for a set of runs.</summary>
    public static List<RenderJob> Plan(SignalTrainIndex index, IReadOnlyList<SweepRun> runs, string outDir)
    {
        var jobs = new List<RenderJob>();
        foreach (var run in runs)
            foreach (var pair in index.Setting(run.Mode, run.PeakReduction))
                jobs.Add(new RenderJob(run, pair, Path.Combine(outDir, pair.RelativePath)));
        return jobs;
    }

    /// <summary>
    /// Renders the jobs (files in parallel, each streamed); existing outputs are skipped unless
    /// <paramref name="force"/>. <paramref name="progress"/> receives (frames done, frames total) over all jobs.
    /// Returns the number of files rendered and skipped.
    /// </summary>
    public static (int Rendered, int Skipped) Render(IReadOnlyList<RenderJob> jobs, bool makeUp, bool force,
        Action<long, long>? progress = null, Action<RenderJob, bool>? fileDone = null, int maxThreads = 0, CancellationToken cancel = default)
    {
        var todo = jobs.Where(j => force || !File.Exists(j.Output)).ToList();
        int skipped = jobs.Count - todo.Count;
        foreach (var j in jobs.Except(todo)) fileDone?.Invoke(j, false);
        long total = todo.Sum(j => (long)Math.Round(j.Pair.Seconds * j.Pair.SampleRate));
        long done = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.ForEach(todo, opts, job =>
        {
            var model = makeUp ? job.Run.Parameters.Model : job.Run.Parameters.Model.WithoutMakeUp();
            long last = 0;
            FileRenderer.Render(job.Pair.InputPath, job.Output, model, linked: false, new Progress(d =>
            {
                long now = Interlocked.Add(ref done, d - last);
                last = d;
                progress?.Invoke(now, total);
            }), cancel);
            fileDone?.Invoke(job, true);
        });
        return (todo.Count, skipped);
    }

    /// <summary>A synchronous <see cref="IProgress{T}"/> (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
