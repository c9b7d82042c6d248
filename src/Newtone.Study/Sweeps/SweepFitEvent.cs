namespace Newtone.Study;

/// <summary>An event of the fit of the level being fitted.</summary>
/// <param name="Event">The fit's event.</param>
public sealed record SweepFitEvent(FitEvent Event) : SweepEvent;
