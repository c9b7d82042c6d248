using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>
/// Fits the compressor to a training set: make-up initialisation (docs/model.md §2), the global stage, then
/// Newton–Raphson (docs/model.md §3) on the full training frames from the winner.
/// </summary>
public static class Fitter
{
    /// <summary>Runs a fit.</summary>
    public static FitResult Fit(TrainingSet data, ParameterSpace space, FitOptions options, IFitObserver? observer = null,
        CancellationToken cancel = default)
    {
        if (data.Frames.Count == 0) throw new ArgumentException("the training set has no frames", nameof(data));
        var clock = Stopwatch.StartNew();
        var objective = new Objective(data, space, options.Mode, options.Delay);
        double sign = options.Mode == ObjectiveMode.Forward ? 1 : -1;

        var theta0 = space.FromSettings(options.Initial, out bool clamped);
        string startLabel = options.WarmStart ? "warm start" : "initial point";
        if (clamped) observer?.Message($"{startLabel} lies on or outside the configured ranges; moved just inside");

        // Make-up initialisation: M += dB(sqrt(mean(ρ²)/mean(y²))) over the frames beyond the overlap.
        var l0 = objective.Loss(theta0);
        double shift = l0.PredictionEnergy > 0 && l0.ReferenceEnergy > 0
            ? sign * 10 * Math.Log10(l0.ReferenceEnergy / l0.PredictionEnergy) : 0;
        theta0 = theta0 with { MakeUp = theta0.MakeUp + shift };
        observer?.Message(FormattableString.Invariant($"{(shift >= 0 ? "increasing" : "decreasing")} make-up gain by {Math.Abs(shift):F3} dB"));

        SearchReport? report = null;
        NewtonRun winner;
        var prefix = new List<IterationRecord>();
        int prefixIterations = 0, prefixDamped = 0;
        void Relay(NewtonRun run, IterationRecord rec) => observer?.Iteration(run, rec);

        if (!options.Search.Enabled)
        {
            winner = NewtonSolver.Run(objective, [(theta0, startLabel)], null, options.Newton, "fit", Relay, cancel)[0];
        }
        else
        {
            var stageClock = Stopwatch.StartNew();
            var so = options.Search;
            var (stageSet, all) = GlobalSearch.StageSet(data, so);
            var stage = all ? objective : new Objective(stageSet, space, options.Mode, options.Delay);
            var candidates = GlobalSearch.Candidates(data, space, so);
            var candThetas = candidates.Select(c => space.FromSettings(c, out _) with { MakeUp = theta0.MakeUp }).ToArray();
            var scores = stage.Loss(candThetas);
            var order = Enumerable.Range(0, candThetas.Length).OrderBy(i => scores[i].ProfiledLoss).ToArray();

            var starts = new List<(Theta, string)> { (theta0, startLabel) };
            var picked = new List<double[]> { GlobalSearch.Coordinates(space.ToSettings(theta0)) };
            foreach (int i in order)
            {
                if (starts.Count >= Math.Max(1, so.Starts)) break;
                var th = GlobalSearch.WithBestMakeUp(candThetas[i], scores[i], sign);
                var coord = GlobalSearch.Coordinates(space.ToSettings(th));
                if (picked.Any(p => GlobalSearch.Distance(p, coord) < so.MinDistance)) continue;
                starts.Add((th, $"candidate #{i + 1}"));
                picked.Add(coord);
            }
            double stageSeconds = (double)stageSet.CountedSamples / data.SampleRate;
            observer?.Message(FormattableString.Invariant(
                $"global stage: {candidates.Count} candidates (seed {so.Seed}) scored on {stageSeconds:F1} s of audio in {stageSet.Frames.Count} {(all ? "frames" : "excerpts")}; Newton from {starts.Count} starts"));

            var newton = options.Newton with
            {
                MaxIterations = Math.Min(so.Iterations, options.Newton.MaxIterations),
                Tolerance = Math.Max(options.Newton.Tolerance, so.Tolerance),
            };
            var runs = NewtonSolver.Run(stage, starts, null, newton, "search", Relay, cancel,
                (run, all) => run.Iterations >= so.AbandonAfter && run.BestLoss > so.AbandonFactor * all.Min(r => r.BestLoss));

            var fullLoss = new double[runs.Length];
            Array.Fill(fullLoss, double.NaN);
            if (all)
            {
                for (int i = 0; i < runs.Length; i++) fullLoss[i] = runs[i].BestLoss;
            }
            else
            {
                double bestStage = runs.Min(r => r.BestLoss);
                var contenders = Enumerable.Range(0, runs.Length).Where(i => runs[i].BestLoss <= so.ContenderFactor * bestStage).ToArray();
                var full = objective.Loss(contenders.Select(i => runs[i].Best).ToArray());
                for (int k = 0; k < contenders.Length; k++) fullLoss[contenders[k]] = full[k].Loss;
            }
            // Lowest full-data loss wins; starts that tie (to 1e-9) go to the earlier one, the initial point first.
            double lowest = fullLoss.Where(v => !double.IsNaN(v)).Min();
            int w = Enumerable.Range(0, runs.Length).First(i => fullLoss[i] <= lowest * (1 + 1e-9));
            report = new SearchReport
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
                report.Starts.Add(new SearchStart(runs[i].Label, space.ToSettings(starts[i].Item1), space.ToSettings(runs[i].Best),
                    runs[i].BestLoss, fullLoss[i], runs[i].Iterations));
                observer?.Message(FormattableString.Invariant(
                    $"  {runs[i].Label,-15} → {space.ToSettings(runs[i].Best)}  loss {runs[i].BestLoss:G6}{(double.IsNaN(fullLoss[i]) || all ? "" : $", full {fullLoss[i]:G6}")}  ({runs[i].Iterations} it.)"));
            }
            report.Seconds = stageClock.Elapsed.TotalSeconds;
            observer?.Message(FormattableString.Invariant($"global stage winner: {runs[w].Label} ({report.Seconds:F2} s)"));

            prefix.AddRange(runs[w].History);
            prefixIterations = runs[w].Iterations;
            prefixDamped = runs[w].DampedSteps;
            if (all && runs[w].Stop == StopReason.Converged && newton.Tolerance <= options.Newton.Tolerance)
            {
                winner = runs[w];
                prefix.Clear();
                prefixIterations = prefixDamped = 0;
            }
            else
            {
                var rest = options.Newton with { MaxIterations = Math.Max(0, options.Newton.MaxIterations - (all ? runs[w].Iterations : 0)) };
                winner = NewtonSolver.Run(objective, [(runs[w].Best, runs[w].Label)], null, rest, "fit", Relay, cancel)[0];
            }
        }

        foreach (var rec in winner.History.Where(r => r.Kind == StepKind.Damped))
            observer?.Message(FormattableString.Invariant($"iteration {rec.Iteration} ({rec.Stage}): Hessian not positive definite, took a damped step that descends"));

        var best = winner.Best;
        var final = objective.Loss(best);
        return new FitResult
        {
            Theta = best,
            Settings = space.ToSettings(best),
            Model = CompressorModel.FromSamples(space.ToSettings(best), options.Delay, data.SampleRate),
            Loss = final.Loss,
            Esr = final.Esr,
            Iterations = prefixIterations + winner.Iterations,
            Stop = winner.Stop ?? StopReason.Epochs,
            MakeUpShiftDb = shift,
            Seconds = clock.Elapsed.TotalSeconds,
            MeanDerivativeSeconds = objective.DerivativeEvaluations > 0 ? objective.DerivativeTime.TotalSeconds / objective.DerivativeEvaluations : double.NaN,
            History = [.. prefix, .. winner.History],
            Search = report,
            DampedSteps = prefixDamped + winner.DampedSteps,
        };
    }
}
