using System.Diagnostics;

namespace Newtone.Study;

/// <summary>
/// The sweep of docs/model.md §6: fit peak reduction 100 from the default start, then each lower level
/// warm-started from the one above, each in <c>la2a_&lt;peak&gt;/</c>. Resumable: a level whose
/// params.json exists is complete and skipped; any other level is (re)done from scratch.
/// </summary>
public static class Sweep
{
    /// <summary>Levels from <paramref name="from"/> down to <paramref name="to"/> by <paramref name="step"/>.</summary>
    public static List<int> Levels(int from, int to, int step)
    {
        if (step <= 0) throw new ConfigException("--step: must be positive");
        if (from < to) throw new ConfigException($"--from ({from}) must not be below --to ({to}): the sweep runs downwards");
        if (to < 0 || from > 100) throw new ConfigException("peak reduction runs from 0 to 100");
        var levels = new List<int>();
        for (int p = from; p >= to; p -= step) levels.Add(p);
        return levels;
    }

    /// <summary>Runs (or resumes) the sweep of one mode into <paramref name="outDir"/>.</summary>
    public static List<SweepLevel> Run(SignalTrainIndex index, La2aMode mode, string outDir, IReadOnlyList<int> levels,
        IReadOnlyList<string> overrides, ISweepObserver? observer = null, CancellationToken cancel = default)
    {
        // Validate the user's options once, before any work.
        var baseConfig = FitConfig.Load(null, overrides);
        string? firstInit = baseConfig.Compressor.InitCkpt;
        if (overrides.Any(o => o.StartsWith("ckpt_dir=", StringComparison.Ordinal) || o.StartsWith("data.train.input=", StringComparison.Ordinal)
            || o.StartsWith("data.train.target=", StringComparison.Ordinal)))
            throw new ConfigException("ckpt_dir and data.train.*: set by the sweep for each level; give the other fit options only");

        Directory.CreateDirectory(outDir);
        var done = new List<SweepLevel>();
        string? previous = firstInit;
        foreach (int peak in levels)
        {
            cancel.ThrowIfCancellationRequested();
            string dir = Path.Combine(outDir, $"la2a_{peak}");
            var pair = index.TrainingPair(mode, peak);
            if (File.Exists(Path.Combine(dir, FitJob.ParamsFile)))
            {
                var p = RunParameters.Load(dir);
                var level = new SweepLevel(mode, peak, dir, p, pair, Skipped: true, 0);
                done.Add(level);
                observer?.LevelDone(level);
                previous = dir;
                continue;
            }
            if (pair is null)
            {
                var level = new SweepLevel(mode, peak, dir, null, null, Skipped: false, 0);
                done.Add(level);
                observer?.LevelDone(level);
                continue;
            }
            // An interrupted level may have left temporary files: remove them, then fit afresh.
            if (Directory.Exists(dir))
                foreach (var tmp in Directory.EnumerateFiles(dir, ".*.tmp")) File.Delete(tmp);
            observer?.LevelStarting(mode, peak, pair, previous);
            var clock = Stopwatch.StartNew();
            var config = baseConfig with
            {
                CkptDir = dir,
                Compressor = baseConfig.Compressor with { InitCkpt = previous },
                Data = baseConfig.Data with { Train = baseConfig.Data.Train with { Input = pair.InputPath, Target = pair.TargetPath } },
            };
            var outcome = FitJob.Run(config, observer?.FitObserver, cancel, new RunLabel(mode, peak, pair.Id));
            var result = new SweepLevel(mode, peak, dir, outcome.Parameters, pair, Skipped: false, clock.Elapsed.TotalSeconds);
            done.Add(result);
            observer?.LevelDone(result);
            previous = dir;
        }
        return done;
    }
}
