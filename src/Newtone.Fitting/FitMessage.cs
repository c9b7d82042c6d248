namespace Newtone.Fitting;

/// <summary>A line for the fit's log.</summary>
/// <param name="Text">The line (no trailing newline).</param>
public sealed record FitMessage(string Text) : FitEvent;
