namespace Newtone.Fitting;

/// <summary>
/// What a fit reports while it runs, through <see cref="IProgress{T}"/>: a <see cref="FitMessage"/> for the log,
/// or a <see cref="FitIteration"/> after each Newton iteration of each run. Reports arrive on the fitting thread.
/// </summary>
public abstract record FitEvent;
