
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

    /// <summary>Planar channels to interleaved frames.</summary>
    public static float[] Interleave(float[][] channels)
    {
        int ch = channels.Length, n = channels[0].Length;
        var o = new float[ch * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < ch; c++) o[i * ch + c] = channels[c][i];
        return o;
    }

    /// <summary>Interleaved frames to planar channels.</summary>
    public static float[][] Deinterleave(float[] interleaved, int ch)
    {
        int n = interleaved.Length / ch;
        var o = new float[ch][];
        for (int c = 0; c < ch; c++)
        {
            o[c] = new float[n];
            for (int i = 0; i < n; i++) o[c][i] = interleaved[i * ch + c];
        }
        return o;
    }
}
