using System.Numerics;

namespace Newtone.Study;

/// <summary>
/// Short-time Fourier transform magnitudes as <c>torch.stft</c> computes them for docs/model.md §8's Figure 6:
/// periodic Hann window of the FFT size, centred frames (the signal reflect-padded by half a window on each
/// side), frames every <c>hop</c> samples, bins 0 … n/2.
/// </summary>
internal static class Stft
{
    /// <summary>The periodic Hann window: <c>w[k] = 0.5 − 0.5·cos(2πk/n)</c>.</summary>
    public static double[] Hann(int n) => Enumerable.Range(0, n).Select(k => 0.5 - 0.5 * Math.Cos(2 * Math.PI * k / n)).ToArray();

    /// <summary>Frame count for a signal length: <c>1 + ⌊len / hop⌋</c>.</summary>
    public static int Frames(int length, int hop) => 1 + length / hop;

    /// <summary>Magnitudes [frame, bin] (bins 0 … n/2).</summary>
    public static double[,] Magnitudes(ReadOnlySpan<double> signal, int fftSize = 4096, int hop = 1024)
    {
        if (fftSize <= 0 || (fftSize & (fftSize - 1)) != 0) throw new ArgumentException("the FFT size must be a power of two", nameof(fftSize));
        int pad = fftSize / 2;
        if (signal.Length <= pad) throw new ArgumentException($"the signal must be longer than {pad} samples for reflect padding", nameof(signal));
        // Reflect padding (the edge sample is not repeated), as torch.nn.functional.pad(mode="reflect").
        var padded = new double[signal.Length + 2 * pad];
        for (int i = 0; i < padded.Length; i++)
        {
            int j = i - pad;
            if (j < 0) j = -j;
            else if (j >= signal.Length) j = 2 * (signal.Length - 1) - j;
            padded[i] = signal[j];
        }
        var window = Hann(fftSize);
        int frames = Frames(signal.Length, hop), bins = fftSize / 2 + 1;
        var result = new double[frames, bins];
        var buffer = new Complex[fftSize];
        for (int f = 0; f < frames; f++)
        {
            int start = f * hop;
            for (int k = 0; k < fftSize; k++) buffer[k] = new Complex(padded[start + k] * window[k], 0);
            FftSharp.FFT.Forward(buffer);
            for (int b = 0; b < bins; b++) result[f, b] = buffer[b].Magnitude;
        }
        return result;
    }
}
