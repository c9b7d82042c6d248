using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>
/// Newton–Raphson with a backtracking Armijo line search (docs/model.md §3), running any number of starting
/// points in lockstep so that each evaluation fills the SIMD lanes (one θ per lane and frame).
/// </summary>
public static class NewtonSolver
{
    /// <summary>
    /// Runs Newton from each start on <paramref name="frames"/> (null: all frames) until every run has
    /// stopped. <paramref name="onIteration"/> is called after each iteration of each run.
    /// </summary>
    public static NewtonRun[] Run(Objective objective, IReadOnlyList<(Theta Start, string Label)> starts, IReadOnlyList<int>? frames,
        NewtonOptions options, string stage, Action<NewtonRun, IterationRecord>? onIteration = null, CancellationToken cancel = default,
        Func<NewtonRun, IReadOnlyList<NewtonRun>, bool>? abandon = null)
    {
        var runs = starts.Select(s => new NewtonRun(s.Start, s.Label)).ToArray();
        var space = objective.Space;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var active = runs.Where(r => r.Stop is null).ToList();
            if (active.Count == 0) break;
            foreach (var r in active.Where(r => r.Iterations >= options.MaxIterations)) r.Stop = StopReason.Epochs;
            if (abandon is not null)
            {
                foreach (var r in active.Where(r => r.Stop is null && abandon(r, runs)))
                {
                    r.Stop = StopReason.Epochs;
                    r.Abandoned = true;
                }
            }
            active = active.Where(r => r.Stop is null).ToList();
            if (active.Count == 0) break;

            var clock = Stopwatch.StartNew();
            var derivs = objective.Derivatives(active.Select(r => r.Current).ToArray(), frames);
            var steps = new double[active.Count][];
            var decrement = new double[active.Count];
            var kinds = new StepKind[active.Count];
            var searching = new List<int>();
            for (int i = 0; i < active.Count; i++)
            {
                var run = active[i];
                var d = derivs[i];
                run.Offer(run.Current, d.Loss, d.Sums.Esr);
                var (s, kind, _) = NewtonStep.Direction(d.Hessian, d.Gradient, options.ConjugateGradient);
                steps[i] = s;
                kinds[i] = kind;
                if (kind == StepKind.Damped) run.DampedSteps++;
                decrement[i] = -NewtonStep.Dot(d.Gradient, s);
                run.Iterations++;
                if (!(decrement[i] > 0) || decrement[i] / 2 <= options.Tolerance * d.Loss)
                {
                    run.Stop = StopReason.Converged;
                    var rec = new IterationRecord(run.Iterations, stage, d.Loss, decrement[i], 0, 0, 100 * d.Sums.Esr,
                        space.ToSettings(run.Current), kind, clock.Elapsed.TotalSeconds);
                    run.History.Add(rec);
                    onIteration?.Invoke(run, rec);
                }
                else
                {
                    searching.Add(i);
                }
            }

            // Backtracking line search, all runs together: t = 1, β, β², …
            var t = new double[active.Count];
            var tries = new int[active.Count];
            var accepted = new LossResult?[active.Count];
            foreach (int i in searching) t[i] = 1;
            var pending = new List<int>(searching);
            for (int attempt = 0; attempt < options.MaxLineSearch && pending.Count > 0; attempt++)
            {
                var trial = pending.Select(i => active[i].Current.Step(steps[i], t[i])).ToArray();
                var finite = trial.Select(th => th.IsFinite).ToArray();
                var evalIdx = Enumerable.Range(0, trial.Length).Where(k => finite[k]).ToArray();
                var losses = evalIdx.Length > 0 ? objective.Loss(evalIdx.Select(k => trial[k]).ToArray(), frames) : [];
                var next = new List<int>();
                int e = 0;
                for (int k = 0; k < pending.Count; k++)
                {
                    int i = pending[k];
                    tries[i]++;
                    if (finite[k])
                    {
                        var l = losses[e++];
                        // Armijo: L(θ + t·s) ≤ L(θ) − α·t·λ
                        if (double.IsFinite(l.Loss) && l.Loss <= derivs[i].Loss - options.Alpha * t[i] * decrement[i])
                        {
                            accepted[i] = l;
                            continue;
                        }
                    }
                    t[i] *= options.Beta;
                    next.Add(i);
                }
                pending = next;
            }

            foreach (int i in searching)
            {
                var run = active[i];
                IterationRecord rec;
                if (accepted[i] is { } l)
                {
                    run.Current = run.Current.Step(steps[i], t[i]);
                    run.Offer(run.Current, l.Loss, l.Esr);
                    rec = new IterationRecord(run.Iterations, stage, l.Loss, decrement[i], t[i], tries[i], 100 * l.Esr,
                        space.ToSettings(run.Current), kinds[i], clock.Elapsed.TotalSeconds);
                }
                else
                {
                    run.Stop = StopReason.LineSearch;
                    rec = new IterationRecord(run.Iterations, stage, derivs[i].Loss, decrement[i], 0, tries[i], 100 * derivs[i].Sums.Esr,
                        space.ToSettings(run.Current), kinds[i], clock.Elapsed.TotalSeconds);
                }
                run.History.Add(rec);
                onIteration?.Invoke(run, rec);
            }
        }
        return runs;
    }
}
