namespace Newtone.Study;

/// <summary>What GRU training reports through <see cref="IProgress{T}"/>: a message, a chunk, or a finished epoch (<see cref="GruEpochReport"/>).</summary>
public abstract record GruTrainingEvent;
