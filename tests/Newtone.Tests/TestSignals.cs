using Newtone.Dynamics;
using Newtone.Fitting;
using Newtone.Synthesis;

namespace Newtone.Tests;

internal static class TestSignals
{
    /// <summary>Music-like input and a target made by the compressor with <paramref name="truth"/>, plus noise.</summary>
    public static (float[] Input, float[] Target) Pair(double seconds, int sampleRate, CompressorSettings truth,
        ulong seed, double noiseDbfs = double.NegativeInfinity, int delay = 0)
    {
        var x = MusicGenerator.Generate(seconds, sampleRate, seed);
        var y = new float[x.Length];
        Compressor.Process(x, y, truth.ToCoefficients(sampleRate), delay);
        if (double.IsFinite(noiseDbfs)) MusicGenerator.AddNoise(y, noiseDbfs, seed + 1000);
        return (x, y);
    }

    public static TrainingSet Set(float[] x, float[] y, int sampleRate, double duration, double overlap) =>
        new([x], [y], sampleRate, FrameLayout.FromSeconds(sampleRate, duration, overlap));
}
