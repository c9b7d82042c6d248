namespace Newtone.Study;

/// <summary>A level is finished, was already complete, or has no recording.</summary>
/// <param name="Level">The level.</param>
public sealed record SweepLevelDone(SweepLevel Level) : SweepEvent;
