using System.Diagnostics;

namespace Newtone.Study;

/// <summary>Rows of audio to train on: each row an input (the compressor's output without make-up) and its target.</summary>
/// <param name="Inputs">Input rows, all of one length.</param>
/// <param name="Targets">Target rows.</param>
/// <param name="Names">Row names (relative paths).</param>
/// <param name="SampleRate">Sample rate.</param>
public sealed record GruTrainingData(float[][] Inputs, float[][] Targets, string[] Names, int SampleRate)
{
    /// <summary>Samples per row.</summary>
    public int Length => Inputs[0].Length;
}
