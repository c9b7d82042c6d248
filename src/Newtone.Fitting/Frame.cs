namespace Newtone.Fitting;

/// <summary>One frame: a channel (row) and the index of its first sample.</summary>
/// <param name="Channel">Channel index.</param>
/// <param name="Start">First sample.</param>
public readonly record struct Frame(int Channel, int Start);
