using System.Diagnostics;

namespace Newtone.Study;

/// <summary>
/// The sweep of docs/model.md §6: fit peak reduction 100 from the default start, then each lower level
/// warm-started from the one above, each in <c>la2a_&lt;peak&gt;/</c>. Resumable: a level whose
/// params.json exists is complete and skipped; any other level is (re)done from scratch.
/// </summary>
public static class Sweep
{
    /// <summary>Levels from <paramref name="from"/> down to <paramref name="to"/> by <paramref name="step"/> (peak reduction 0…100).</summary>
    public static List<int> Levels(int from, int to, int step)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "the step between levels must be positive");
        if (from < to) throw new ArgumentException($"the first level ({from}) must not be below the last ({to}): the sweep runs downwards");
        if (to < 0 || from > 100) throw new ArgumentOutOfRangeException(nameof(from), "peak reduction runs from 0 to 100");
        var levels = new List<int>();
        for (int p = from; p >= to; p -= step) levels.Add(p);
        return levels;
    }

    /// <summary>Configuration keys the sweep sets for each level itself.</summary>
    private static readonly string[] PerLevelKeys = ["ckpt_dir", "compressor.init_ckpt", "data.train.input", "data.train.target"];

    /// <summary>
    /// Runs (or resumes) the sweep of one mode into <paramref name="outDir"/>, every level fitted with
    /// <paramref name="options"/> (its paths are set per level). A level completed earlier with other options is
    /// refused with the keys that differ, so a resumed sweep never mixes settings.
    /// </summary>
    public static List<SweepLevel> Run(SignalTrainIndex index, La2aMode mode, string outDir, IReadOnlyList<int> levels,
        FitConfig options, IProgress<SweepEvent>? progress = null, CancellationToken cancel = default)
    {
        if (options.CkptDir is not null || options.Data.Train.Input is not null || options.Data.Train.Target is not null)
            throw new ConfigException("ckpt_dir and data.train.*: set by the sweep for each level; give the other fit options only");
        string? firstInit = options.Compressor.InitCkpt;
        var fitProgress = progress is null ? null : new ProgressRelay<FitEvent>(e => progress.Report(new SweepFitEvent(e)));

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
                CheckSameOptions(dir, options);
                var level = new SweepLevel(mode, peak, dir, p, pair, Skipped: true, 0);
                done.Add(level);
                progress?.Report(new SweepLevelDone(level));
                previous = dir;
                continue;
            }
            if (pair is null)
            {
                var level = new SweepLevel(mode, peak, dir, null, null, Skipped: false, 0);
                done.Add(level);
                progress?.Report(new SweepLevelDone(level));
                continue;
            }
            // An interrupted level may have left temporary files: remove them, then fit afresh.
            if (Directory.Exists(dir))
                foreach (var tmp in Directory.EnumerateFiles(dir, ".*.tmp")) File.Delete(tmp);
            progress?.Report(new SweepLevelStarting(mode, peak, pair, previous));
            var clock = Stopwatch.StartNew();
            var config = options with
            {
                CkptDir = dir,
                Compressor = options.Compressor with { InitCkpt = previous },
                Data = options.Data with { Train = options.Data.Train with { Input = pair.InputPath, Target = pair.TargetPath } },
            };
            var outcome = FitJob.Run(config, fitProgress, cancel, new RunLabel(mode, peak, pair.Id));
            var result = new SweepLevel(mode, peak, dir, outcome.Parameters, pair, Skipped: false, clock.Elapsed.TotalSeconds);
            done.Add(result);
            progress?.Report(new SweepLevelDone(result));
            previous = dir;
        }
        return done;
    }

    /// <summary>Refuses a completed level whose config.yaml differs from <paramref name="options"/> in any key the sweep does not set per level.</summary>
    private static void CheckSameOptions(string dir, FitConfig options)
    {
        string file = Path.Combine(dir, FitJob.ConfigFile);
        if (!File.Exists(file)) return;
        FitConfig earlier;
        try
        {
            earlier = FitConfig.Load(file, []);
        }
        catch (ConfigException e)
        {
            throw new InputException($"{file}: cannot be compared with the options now given ({e.Message})");
        }
        var now = FitConfigBinder.Flatten(options);
        var then = FitConfigBinder.Flatten(earlier);
        var differ = now.Keys.Union(then.Keys).Where(k => !PerLevelKeys.Contains(k) && then.GetValueOrDefault(k) != now.GetValueOrDefault(k)).ToList();
        if (differ.Count > 0)
            throw new InputException($"{dir}: was fitted with other options ({string.Join(", ", differ.Select(k => $"{k}: {then.GetValueOrDefault(k) ?? "absent"} then, {now.GetValueOrDefault(k) ?? "absent"} now"))}); "
                + "give the same options, or sweep into a new folder");
    }

}
