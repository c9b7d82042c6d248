using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>
/// Newton–Raphson with a backtracking Armijo line search (docs/model.md §3), running any number of starting
/// points in lockstep so that each evaluation fills the SIMD lanes (one θ per lane and frame).
/// </summary>
public static class NewtonSolver
{
    /// <summary>
    /// Runs Newton from each start on <paramref name="frames"/> (null: all frames) until every run has stopped.
    /// <paramref name="progress"/> receives a <see cref="FitIteration"/> after each iteration of each run;
    /// <paramref name="abandon"/> may stop a run that is far behind the others.
    /// </summary>
    public static NewtonRun[] Run(Objective objective, IReadOnlyList<(Theta Start, string Label)> starts, IReadOnlyList<int>? frames,
        NewtonOptions options, string stage, IProgress<FitEvent>? progress = null, CancellationToken cancel = default,
        Func<NewtonRun, IReadOnlyList<NewtonRun>, bool>? abandon = null)
    {
        var runs = starts.Select(s => new NewtonRun(s.Start, s.Label)).ToArray();
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var active = Active(runs, options, abandon);
            if (active.Count == 0) break;
            var clock = Stopwatch.StartNew();
            var steps = Directions(objective, active, frames, options);
            var searching = Enumerable.Range(0, active.Count).Where(i => active[i].Stop is null).ToList();
            LineSearch(objective, active, steps, searching, frames, options);
            foreach (var (run, step) in active.Zip(steps))
            {
                var rec = Record(objective.Space, run, step, stage, clock.Elapsed.TotalSeconds);
                run.History.Add(rec);
                progress?.Report(new FitIteration(run, rec));
            }
        }
        return runs;
    }

    /// <summary>One run's iteration in progress: the direction s, the decrement λ = −gᵀs, and the line search's outcome.</summary>
    private sealed class Step(SecondOrder derivatives, double[] direction, StepKind kind, double decrement)
    {
        public SecondOrder Derivatives { get; } = derivatives;
        public double[] Direction { get; } = direction;
        public StepKind Kind { get; } = kind;
        public double Decrement { get; } = decrement;
        public double Length { get; set; } = 1;
        public int Tries { get; set; }
        public LossResult? Accepted { get; set; }
    }

    /// <summary>Runs still going: those at the iteration limit stop ("epochs"), and so do those <paramref name="abandon"/> gives up on.</summary>
    private static List<NewtonRun> Active(NewtonRun[] runs, NewtonOptions options, Func<NewtonRun, IReadOnlyList<NewtonRun>, bool>? abandon)
    {
        var active = runs.Where(r => r.Stop is null).ToList();
        foreach (var r in active.Where(r => r.Iterations >= options.MaxIterations)) r.Stop = StopReason.Epochs;
        if (abandon is not null)
        {
            foreach (var r in active.Where(r => r.Stop is null && abandon(r, runs)))
            {
                r.Stop = StopReason.Epochs;
                r.Abandoned = true;
            }
        }
        return active.Where(r => r.Stop is null).ToList();
    }

    /// <summary>
    /// Loss, gradient and Hessian of every active run in one batched evaluation; the Newton (or damped) direction;
    /// runs whose decrement falls below the tolerance stop as converged (docs/model.md §3 steps 1, 2, 5).
    /// </summary>
    private static Step[] Directions(Objective objective, List<NewtonRun> active, IReadOnlyList<int>? frames, NewtonOptions options)
    {
        var derivs = objective.Derivatives(active.Select(r => r.Current).ToArray(), frames);
        var steps = new Step[active.Count];
        for (int i = 0; i < active.Count; i++)
        {
            var run = active[i];
            var d = derivs[i];
            run.Offer(run.Current, d.Loss, d.Sums.Esr);
            var (s, kind, _) = NewtonStep.Direction(d.Hessian, d.Gradient, options.ConjugateGradient);
            if (kind == StepKind.Damped) run.DampedSteps++;
            double decrement = -NewtonStep.Dot(d.Gradient, s);
            steps[i] = new Step(d, s, kind, decrement);
            run.Iterations++;
            if (!(decrement > 0) || decrement / 2 <= options.Tolerance * d.Loss) run.Stop = StopReason.Converged;
        }
        return steps;
    }

    /// <summary>
    /// Backtracking line search of all searching runs together, t = 1, β, β², …, accepting the first t with
    /// <c>L(θ + t·s) ≤ L(θ) − α·t·λ</c> (docs/model.md §3 step 3); a run with no accepted t stops ("line search").
    /// </summary>
    private static void LineSearch(Objective objective, List<NewtonRun> active, Step[] steps, List<int> searching,
        IReadOnlyList<int>? frames, NewtonOptions options)
    {
        var pending = new List<int>(searching);
        for (int attempt = 0; attempt < options.MaxLineSearch && pending.Count > 0; attempt++)
        {
            var trial = pending.Select(i => active[i].Current.Step(steps[i].Direction, steps[i].Length)).ToArray();
            var finite = trial.Select(th => th.IsFinite).ToArray();
            var evaluated = Enumerable.Range(0, trial.Length).Where(k => finite[k]).ToArray();
            var losses = evaluated.Length > 0 ? objective.Loss(evaluated.Select(k => trial[k]).ToArray(), frames) : [];
            var next = new List<int>();
            int e = 0;
            for (int k = 0; k < pending.Count; k++)
            {
                var step = steps[pending[k]];
                step.Tries++;
                if (finite[k])
                {
                    var l = losses[e++];
                    if (double.IsFinite(l.Loss) && l.Loss <= step.Derivatives.Loss - options.Alpha * step.Length * step.Decrement)
                    {
                        step.Accepted = l;
                        continue;
                    }
                }
                step.Length *= options.Beta;
                next.Add(pending[k]);
            }
            pending = next;
        }
        foreach (int i in pending) active[i].Stop = StopReason.LineSearch;
    }

    /// <summary>Moves an accepted run to its new point and reports the iteration.</summary>
    private static IterationRecord Record(ParameterSpace space, NewtonRun run, Step step, string stage, double seconds)
    {
        if (step.Accepted is { } l)
        {
            run.Current = run.Current.Step(step.Direction, step.Length);
            run.Offer(run.Current, l.Loss, l.Esr);
            return new IterationRecord(run.Iterations, stage, l.Loss, step.Decrement, step.Length, step.Tries, 100 * l.Esr,
                space.ToSettings(run.Current), step.Kind, seconds) { Opto = space.ToOptoSettings(run.Current) };
        }
        // Converged before searching, or no step length accepted: the point stays.
        var d = step.Derivatives;
        return new IterationRecord(run.Iterations, stage, d.Loss, step.Decrement, 0, step.Tries, 100 * d.Sums.Esr,
            space.ToSettings(run.Current), step.Kind, seconds) { Opto = space.ToOptoSettings(run.Current) };
    }
}
