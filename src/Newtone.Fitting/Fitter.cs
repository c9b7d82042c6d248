using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>
/// Fits the compressor to a training set: make-up initialisation (docs/model.md §2), the global stage
/// (docs/model.md §3.1), then Newton–Raphson (docs/model.md §3) on the full training frames from the winner.
/// <see cref="FitOptions.Model"/> chooses the ff5 model or the opto model (docs/model.md §11; its extras start from
/// <see cref="FitOptions.InitialOpto"/>, the global stage varies the five ff5 parameters only).
/// </summary>
public static class Fitter
{
    /// <summary>
    /// Runs a fit; <paramref name="progress"/> receives log lines and every Newton iteration. An opto fit in a space without
    /// opto ranges uses <see cref="OptoRanges.Default"/>.
    /// </summary>
    public static FitResult Fit(TrainingSet data, ParameterSpace space, FitOptions options, IProgress<FitEvent>? progress = null,
        CancellationToken cancel = default)
    {
        if (data.Frames.Count == 0) throw new ArgumentException("the training set has no frames", nameof(data));
        bool opto = options.Model == ModelKind.Opto;
        if (opto && space.Opto is null) space = space.WithOpto(OptoRanges.Default);
        var clock = Stopwatch.StartNew();
        var objective = new Objective(data, space, options.Mode, options.Delay);
        void Say(string text) => progress?.Report(new FitMessage(text));

        string startLabel = options.WarmStart ? "warm start" : "initial point";
        var theta0 = space.FromSettings(options.Initial, opto ? options.InitialOpto : null, out bool clamped);
        if (clamped) Say($"{startLabel} lies on or outside the configured ranges; moved just inside");
        double shift = MakeUpShift(objective, theta0, options.Mode);
        theta0 = theta0 with { MakeUp = theta0.MakeUp + shift };
        Say(FormattableString.Invariant(
            $"make-up initialisation: the starting make-up gain {(shift >= 0 ? "raised" : "lowered")} by {Math.Abs(shift):F3} dB to match the target's energy (a start, not a result)"));

        var path = options.Search.Enabled
            ? GlobalThenLocal(data, objective, space, options, theta0, startLabel, progress, cancel)
            : new WinningPath(NewtonSolver.Run(objective, [(theta0, startLabel)], null, options.Newton, "fit", progress, cancel)[0], [], 0, 0, null);

        // One line for the whole final run (each iteration's own line marks its damped step too).
        var damped = path.Final.History.Where(r => r.Kind == StepKind.Damped).Select(r => r.Iteration).ToList();
        if (damped.Count > 0)
            Say(FormattableString.Invariant($"{(damped.Count <= 5
                ? $"iteration{(damped.Count > 1 ? "s" : "")} {string.Join(", ", damped)}"
                : $"{damped.Count} of {path.Final.History.Count} iterations")} of the final run: Hessian not positive definite, took damped steps that descend"));

        var best = path.Final.Best;
        // The final run ran on the full training set, so its best point's loss and ESR are already known; evaluate
        // only if it never evaluated a point (no iterations).
        var (loss, esr) = double.IsFinite(path.Final.BestLoss) ? (path.Final.BestLoss, path.Final.BestEsr) : Evaluate(objective, best);
        var settings = space.ToSettings(best);
        return new FitResult
        {
            Theta = best,
            Settings = settings,
            Model = CompressorModel.FromSamples(settings, options.Delay, data.SampleRate) with { Opto = space.ToOptoSettings(best) },
            Loss = loss,
            Esr = esr,
            Iterations = path.PrefixIterations + path.Final.Iterations,
            Stop = path.Final.Stop ?? StopReason.Epochs,
            MakeUpShiftDb = shift,
            Seconds = clock.Elapsed.TotalSeconds,
            MeanDerivativeSeconds = objective.DerivativeEvaluations > 0 ? objective.DerivativeTime.TotalSeconds / objective.DerivativeEvaluations : double.NaN,
            History = [.. path.Prefix, .. path.Final.History],
            Search = path.Report,
            DampedSteps = path.PrefixDamped + path.Final.DampedSteps,
        };
    }

    private static (double Loss, double Esr) Evaluate(Objective objective, Theta theta)
    {
        var l = objective.Loss(theta);
        return (l.Loss, l.Esr);
    }

    /// <summary>The winning Newton run and what the global stage contributed before it.</summary>
    private sealed record WinningPath(NewtonRun Final, List<IterationRecord> Prefix, int PrefixIterations, int PrefixDamped, SearchReport? Report);

    /// <summary>
    /// Make-up initialisation (docs/model.md §2): the shift in dB that matches the energy of the pre-filtered
    /// prediction to that of the reference over the frames beyond the overlap (sign flipped in inverse mode).
    /// </summary>
    private static double MakeUpShift(Objective objective, Theta theta0, ObjectiveMode mode)
    {
        double sign = mode == ObjectiveMode.Forward ? 1 : -1;
        var l0 = objective.Loss(theta0);
        return l0.PredictionEnergy > 0 && l0.ReferenceEnergy > 0 ? sign * 10 * Math.Log10(l0.ReferenceEnergy / l0.PredictionEnergy) : 0;
    }

    /// <summary>The global stage, then Newton on the full data from its winner (unless the stage already converged on it).</summary>
    private static WinningPath GlobalThenLocal(TrainingSet data, Objective objective, ParameterSpace space, FitOptions options, Theta theta0,
        string startLabel, IProgress<FitEvent>? progress, CancellationToken cancel)
    {
        var stageClock = Stopwatch.StartNew();
        var so = options.Search;
        double sign = options.Mode == ObjectiveMode.Forward ? 1 : -1;
        var (stageSet, all) = GlobalSearch.StageSet(data, so);
        var stage = all ? objective : new Objective(stageSet, space, options.Mode, options.Delay);
        var candidates = GlobalSearch.Candidates(data, space, so);
        var starts = PickStarts(stage, space, so, candidates, theta0, startLabel, sign);
        double stageSeconds = (double)stageSet.CountedSamples / data.SampleRate;
        progress?.Report(new FitMessage(FormattableString.Invariant(
            $"global stage: {candidates.Count} candidates (seed {so.Seed}) scored on {stageSeconds:F1} s of audio in {stageSet.Frames.Count} {(all ? "frames" : "excerpts")}; Newton from {starts.Count} starts")));

        var newton = options.Newton with
        {
            MaxIterations = Math.Min(so.Iterations, options.Newton.MaxIterations),
            Tolerance = Math.Max(options.Newton.Tolerance, so.Tolerance),
        };
        var runs = NewtonSolver.Run(stage, starts, null, newton, "search", progress, cancel,
            (run, others) => run.Iterations >= so.AbandonAfter && run.BestLoss > so.AbandonFactor * others.Min(r => r.BestLoss));

        var fullLoss = FullLosses(objective, runs, all, so);
        // Lowest full-data loss wins; starts that tie (to 1e-9) go to the earlier one, the initial point first.
        double lowest = fullLoss.Where(v => !double.IsNaN(v)).Min();
        int w = Enumerable.Range(0, runs.Length).First(i => fullLoss[i] <= lowest * (1 + 1e-9));
        var report = new SearchReport
        {
            Candidates = candidates.Count,
            Seed = so.Seed,
            AudioSeconds = stageSeconds,
            Excerpts = stageSet.Frames.Count,
            UsedAllFrames = all,
            Winner = runs[w].Label,
        };
        for (int i = 0; i < runs.Length; i++)
        {
            report.Starts.Add(new SearchStart(runs[i].Label, space.ToSettings(starts[i].Start), space.ToSettings(runs[i].Best),
                runs[i].BestLoss, fullLoss[i], runs[i].Iterations)
            { StartOpto = space.ToOptoSettings(starts[i].Start), EndOpto = space.ToOptoSettings(runs[i].Best) });
            progress?.Report(new FitMessage(FormattableString.Invariant(
                $"  {runs[i].Label,-15} → {space.ToModel(runs[i].Best)}  {(double.IsFinite(runs[i].BestLoss) ? $"loss {runs[i].BestLoss:G6}" : "not evaluated")}{(double.IsNaN(fullLoss[i]) || all ? "" : $", full {fullLoss[i]:G6}")}  ({runs[i].Iterations} it.)")));
        }
        report.Seconds = stageClock.Elapsed.TotalSeconds;
        progress?.Report(new FitMessage(FormattableString.Invariant($"global stage winner: {runs[w].Label} ({report.Seconds:F2} s)")));

        if (all && runs[w].Stop == StopReason.Converged && newton.Tolerance <= options.Newton.Tolerance)
            return new WinningPath(runs[w], [], 0, 0, report);
        var rest = options.Newton with { MaxIterations = Math.Max(0, options.Newton.MaxIterations - (all ? runs[w].Iterations : 0)) };
        var final = NewtonSolver.Run(objective, [(runs[w].Best, runs[w].Label)], null, rest, "fit", progress, cancel)[0];
        return new WinningPath(final, [.. runs[w].History], runs[w].Iterations, runs[w].DampedSteps, report);
    }

    /// <summary>
    /// The Newton starts: the initial (or warm-start) point, then the best-scoring distinct candidates, each with
    /// its least-squares make-up gain (candidates are scored by their profiled loss on the stage's audio).
    /// </summary>
    private static List<(Theta Start, string Label)> PickStarts(Objective stage, ParameterSpace space, SearchOptions so,
        List<CompressorSettings> candidates, Theta theta0, string startLabel, double sign)
    {
        // Opto: every candidate keeps the start's extras (docs/model.md §11.1).
        var thetas = candidates.Select(c => space.FromSettings(c, out _) with { MakeUp = theta0.MakeUp, Opto = theta0.Opto }).ToArray();
        var scores = stage.Loss(thetas);
        var order = Enumerable.Range(0, thetas.Length).OrderBy(i => scores[i].ProfiledLoss);
        var starts = new List<(Theta, string)> { (theta0, startLabel) };
        var picked = new List<double[]> { GlobalSearch.Coordinates(space.ToSettings(theta0)) };
        foreach (int i in order)
        {
            if (starts.Count >= Math.Max(1, so.Starts)) break;
            var th = GlobalSearch.WithBestMakeUp(thetas[i], scores[i], sign);
            var coord = GlobalSearch.Coordinates(space.ToSettings(th));
            if (picked.Any(p => GlobalSearch.Distance(p, coord) < so.MinDistance)) continue;
            starts.Add((th, $"candidate #{i + 1}"));
            picked.Add(coord);
        }
        return starts;
    }

    /// <summary>
    /// Starts whose best points agree to this (largest difference of <see cref="GlobalSearch.Coordinates"/>) ended at the
    /// same minimum: only the earliest of them is evaluated on the full data (docs/model.md §3.1 step 6).
    /// </summary>
    private const double SamePoint = 1e-4;

    /// <summary>
    /// Each run's loss on the full training set: its stage loss when the stage used every frame, else evaluated for the
    /// contenders (NaN for the rest). A contender whose best point is within <see cref="SamePoint"/> of an earlier
    /// contender's shares that one's full loss instead of being evaluated again (it could only tie with it, and ties go
    /// to the earlier start).
    /// </summary>
    private static double[] FullLosses(Objective objective, NewtonRun[] runs, bool all, SearchOptions so)
    {
        var full = new double[runs.Length];
        if (all)
        {
            for (int i = 0; i < runs.Length; i++) full[i] = runs[i].BestLoss;
            return full;
        }
        Array.Fill(full, double.NaN);
        double bestStage = runs.Min(r => r.BestLoss);
        var contenders = Enumerable.Range(0, runs.Length).Where(i => runs[i].BestLoss <= so.ContenderFactor * bestStage).ToArray();
        var coords = contenders.Select(i => GlobalSearch.Coordinates(objective.Space.ToSettings(runs[i].Best))).ToArray();
        // Each contender's representative: the earliest contender at the same point (itself if none).
        var rep = new int[contenders.Length];
        for (int k = 0; k < contenders.Length; k++)
        {
            rep[k] = k;
            for (int e = 0; e < k; e++)
            {
                if (rep[e] == e && GlobalSearch.Distance(coords[e], coords[k]) <= SamePoint)
                {
                    rep[k] = e;
                    break;
                }
            }
        }
        var distinct = Enumerable.Range(0, contenders.Length).Where(k => rep[k] == k).ToArray();
        var losses = objective.Loss(distinct.Select(k => runs[contenders[k]].Best).ToArray());
        for (int d = 0; d < distinct.Length; d++) full[contenders[distinct[d]]] = losses[d].Loss;
        for (int k = 0; k < contenders.Length; k++) full[contenders[k]] = full[contenders[rep[k]]];
        return full;
    }
}
