namespace Newtone.Study;

/// <summary>A line for the training log.</summary>
/// <param name="Text">The line.</param>
public sealed record GruTrainingMessage(string Text) : GruTrainingEvent;
