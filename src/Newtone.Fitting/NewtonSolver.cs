using System.Diagnostics;

namespace Newtone.Fitting;

/// <summary>Why a Newton run stopped (docs/model.md §3).</summary>
public enum StopReason
{
    /// <summary>λ/2 fell below the tolerance relative to L.</summary>
    Converged,

    /// <summary>No step length satisfied the Armijo condition: the noise floor.</summary>
    LineSearch,

    /// <summary>The iteration limit (<c>epochs</c>) was reached.</summary>
    Epochs,
}

/// <summary>Options of the Newton–Raphson optimiser (docs/model.md §3–§4, <c>optimiser.*</c>).</summary>
public sealed record NewtonOptions
{
    /// <summary>Use conjugate gradient instead of the direct (Cholesky) solve.</summary>
    public bool ConjugateGradient { get; init; }

    /// <summary>Armijo sufficient-decrease constant.</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>Backtracking factor.</summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Line-search tries per iteration.</summary>
    public int MaxLineSearch { get; init; } = 20;

    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop as converged when λ/2 &lt; Tolerance·L.</summary>
    public double Tolerance { get; init; } = 1e-10;
}

/// <summary>One Newton iteration as reported (docs/model.md §3).</summary>
/// <param name="Iteration">1-based iteration number within its stage.</param>
/// <param name="Stage">"search" (global stage) or "fit".</param>
/// <param name="Loss">Loss after the step.</param>
/// <param name="Decrement">Newton decrement λ = −gᵀs at the start of the iteration.</param>
/// <param name="StepLength">Accepted step length t (0 when none was accepted).</param>
/// <param name="Tries">Line-search tries.</param>
/// <param name="EsrPercent">ESR after the step, in %.</param>
/// <param name="Settings">Parameters after the step, in physical units.</param>
/// <param name="Kind">How the direction was obtained.</param>
/// <param name="Seconds">Wall time of the iteration.</param>
public sealed record IterationRecord(int Iteration, string Stage, double Loss, double Decrement, double StepLength, int Tries,
    double EsrPercent, CompressorSettings Settings, StepKind Kind, double Seconds);

/// <summary>The state and outcome of one Newton run.</summary>
public sealed class NewtonRun
{
    internal NewtonRun(Theta start, string label)
    {
        Current = start;
        Best = start;
        Label = label;
    }

    /// <summary>Where the run started from (for the log).</summary>
    public string Label { get; }

    /// <summary>Current θ.</summary>
    public Theta Current { get; internal set; }

    /// <summary>Lowest-loss θ seen.</summary>
    public Theta Best { get; internal set; }

    /// <summary>Its loss.</summary>
    public double BestLoss { get; internal set; } = double.PositiveInfinity;

    /// <summary>ESR (fraction) at <see cref="Best"/>.</summary>
    public double BestEsr { get; internal set; } = double.NaN;

    /// <summary>Iterations taken (steps accepted or attempted).</summary>
    public int Iterations { get; internal set; }

    /// <summary>Stop reason, once stopped.</summary>
    public StopReason? Stop { get; internal set; }

    /// <summary>Iterations in which the Hessian was not positive definite and a damped step was taken.</summary>
    public int DampedSteps { get; internal set; }

    /// <summary>True when the run was stopped early because others were far ahead.</summary>
    public bool Abandoned { get; internal set; }

    /// <summary>Per-iteration records.</summary>
    public List<IterationRecord> History { get; } = [];

    internal void Offer(Theta theta, double loss, double esr)
    {
        if (loss < BestLoss)
        {
            Best = theta;
            BestLoss = loss;
            BestEsr = esr;
        }
    }
}

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
