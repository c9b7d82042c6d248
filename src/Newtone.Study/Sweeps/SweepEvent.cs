namespace Newtone.Study;

/// <summary>What a sweep reports through <see cref="IProgress{T}"/>: a level starting, a level done, or an event of the level's fit.</summary>
public abstract record SweepEvent;
