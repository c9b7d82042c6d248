
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
        PathGuard.OutputFolderOutside(outDir, index.Root, "dataset");
        var jobs = new List<RenderJob>();
        foreach (var run in runs)
            foreach (var pair in index.Setting(run.Mode, run.PeakReduction))
                jobs.Add(new RenderJob(run, pair, Path.Combine(outDir, pair.RelativePath)));
        return jobs;
    }

    /// <summary>
    /// Renders the jobs (files in parallel, each streamed); existing outputs are skipped unless
    /// <paramref name="force"/>. <paramref name="progress"/> receives the frames done over all jobs, and each finished file.
    /// Returns the number of files rendered and skipped.
    /// </summary>
    public static (int Rendered, int Skipped) Render(IReadOnlyList<RenderJob> jobs, bool makeUp, bool force,
        IProgress<WorkProgress>? progress = null, int maxThreads = 0, CancellationToken cancel = default)
    {
        return FileBatch.Run(jobs, j => j.Output, j => j.Pair, force, (job, frames, c) =>
        {
            var model = makeUp ? job.Run.Parameters.Model : job.Run.Parameters.Model.WithoutMakeUp();
            FileRenderer.Render(job.Pair.InputPath, job.Output, model, linked: false, frames, c);
        }, progress, maxThreads, cancel);
    }
}
