using System.Diagnostics;

namespace Newtone.Fitting;

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
