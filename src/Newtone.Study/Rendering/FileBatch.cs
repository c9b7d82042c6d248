namespace Newtone.Study;

/// <summary>
/// Renders a set of output files in parallel, one job per file: outputs that exist are skipped unless forced, and
/// the frames done are summed over all jobs into one progress (with each finished file reported as its item).
/// Shared by dataset rendering and plugin baselines.
/// </summary>
internal static class FileBatch
{
    /// <summary>Runs <paramref name="render"/> for every job to do; returns the files rendered and skipped.</summary>
    public static (int Rendered, int Skipped) Run<TJob>(IReadOnlyList<TJob> jobs, Func<TJob, string> output, Func<TJob, SignalTrainPair> pair,
        bool force, Action<TJob, IProgress<long>, CancellationToken> render, IProgress<WorkProgress>? progress, int maxThreads, CancellationToken cancel)
    {
        var todo = jobs.Where(j => force || !File.Exists(output(j))).ToList();
        long total = todo.Sum(j => (long)Math.Round(pair(j).Seconds * pair(j).SampleRate));
        long done = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.ForEach(todo, opts, job =>
        {
            long last = 0;
            render(job, new ProgressRelay<long>(d =>
            {
                long now = Interlocked.Add(ref done, d - last);
                last = d;
                progress?.Report(new WorkProgress(now, total, "frames"));
            }), cancel);
            progress?.Report(new WorkProgress(Interlocked.Read(ref done), total, "frames", output(job)));
        });
        return (todo.Count, jobs.Count - todo.Count);
    }
}
