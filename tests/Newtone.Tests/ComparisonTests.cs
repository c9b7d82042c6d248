using System.Numerics;

namespace Newtone.Tests;

/// <summary>SPEC §8 metrics against closed forms and constructed cases.</summary>
public class ComparisonTests
{
    private const int Sr = 16000;

    /// <summary>LDR from E_s and E_l given in closed form, summed directly.</summary>
    private static double LdrFromClosedForms(Func<int, double, double> smoothed, int n, double sr)
    {
        double aS = 1 - Math.Exp(-1 / (sr * 0.05)), aL = 1 - Math.Exp(-1 / (sr * 3));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double l = 10 * (Math.Log10(smoothed(i, aS)) - Math.Log10(smoothed(i, aL)));
            sum += l * l;
        }
        return Math.Sqrt(sum / n);
    }

    [Fact]
    public void LdrOfAStationarySineMatchesTheClosedFormOnePoleResponses()
    {
        const double A = 0.5, w = 2 * Math.PI * 440.0 / Sr, phi = 0.3;
        int n = 3 * Sr;
        var s = Enumerable.Range(0, n).Select(i => A * Math.Sin(w * i + phi)).ToArray();
        Assert.True(s.Min(v => v * v) > 1e-16);   // the 1e-16 floor never acts
        // e[n] = A²/2 − (A²/2)·cos(2wn + 2φ); a one-pole from E[−1] = 0 answers a constant c with c(1 − (1−a)^(n+1)) and
        // e^{iθn} with a·e^{iθn}(1 − q^(n+1))/(1 − q), q = (1−a)e^{−iθ}.
        double E(int i, double a)
        {
            double c = A * A / 2;
            var q = (1 - a) * Complex.Exp(new Complex(0, -2 * w));
            var osc = a * Complex.Exp(new Complex(0, 2 * phi)) * Complex.Exp(new Complex(0, 2 * w * i)) * (1 - Complex.Pow(q, i + 1)) / (1 - q);
            return c * (1 - Math.Pow(1 - a, i + 1)) - c * osc.Real;
        }
        double expected = LdrFromClosedForms(E, n, Sr);
        Assert.Equal(expected, LdrMeter.Of(s, Sr), expected * 1e-9);
    }

    [Fact]
    public void LdrOfAStepInLevelMatchesTheClosedForm()
    {
        const double c1 = 0.01, c2 = 0.5;   // levels (e = s²)
        int n1 = Sr, n = 4 * Sr;
        var s = Enumerable.Range(0, n).Select(i => i < n1 ? Math.Sqrt(c1) : Math.Sqrt(c2)).ToArray();
        double E(int i, double a) => i < n1
            ? c1 * (1 - Math.Pow(1 - a, i + 1))
            : c2 + (c1 * (1 - Math.Pow(1 - a, n1)) - c2) * Math.Pow(1 - a, i - n1 + 1);
        double expected = LdrFromClosedForms(E, n, Sr);
        var meter = new LdrMeter(Sr);
        // In uneven blocks: the meter carries its state.
        meter.Add(s.AsSpan(0, 1000));
        meter.Add(s.AsSpan(1000, 7));
        meter.Add(s.AsSpan(1007));
        Assert.Equal(expected, meter.Value, expected * 1e-9);
    }

    [Fact]
    public void EsrAndDeltaLdrOnConstructedFiles()
    {
        using var dir = new TempDir();
        var t = MusicGenerator.Generate(3, Sr, 2);
        WavFile.WriteFloat(dir["t.wav"], new AudioBuffer(t, Sr));
        WavFile.WriteFloat(dir["same.wav"], new AudioBuffer(t, Sr));
        WavFile.WriteFloat(dir["double.wav"], new AudioBuffer(t.Select(v => 2 * v).ToArray(), Sr));
        WavFile.WriteFloat(dir["neg.wav"], new AudioBuffer(t.Select(v => -v).ToArray(), Sr));
        WavFile.WriteFloat(dir["zero.wav"], new AudioBuffer(new float[t.Length], Sr));
        WavFile.WriteFloat(dir["long.wav"], new AudioBuffer([.. t, .. new float[5000]], Sr));

        var self = Comparison.Compare(dir["same.wav"], dir["t.wav"]);
        Assert.Equal(0, self.Esr);
        Assert.Equal(0, self.DeltaLdr);
        // P is linear: P[2t] − P[t] = P[t], so the ESR is exactly 1; the LDR of a scaled signal differs only
        // through the 1e-16 floor.
        var twice = Comparison.Compare(dir["double.wav"], dir["t.wav"]);
        Assert.Equal(1, twice.Esr, 12);
        Assert.Equal(0, twice.DeltaLdr, 6);
        Assert.Equal(4, Comparison.Compare(dir["neg.wav"], dir["t.wav"]).Esr, 12);
        Assert.Equal(1, Comparison.Compare(dir["zero.wav"], dir["t.wav"]).Esr, 12);
        // Trimmed to the common length.
        var longer = Comparison.Compare(dir["long.wav"], dir["t.wav"]);
        Assert.Equal(t.Length, longer.Samples);
        Assert.Equal(0, longer.Esr);
    }

    [Fact]
    public void StftFrameEqualsADirectDft()
    {
        var rng = new Rng(3);
        var x = Enumerable.Range(0, 20000).Select(_ => rng.Gaussian()).ToArray();
        var mags = Stft.Magnitudes(x);
        Assert.Equal(Stft.Frames(x.Length, 1024), mags.GetLength(0));
        Assert.Equal(2049, mags.GetLength(1));
        var win = Enumerable.Range(0, 4096).Select(k => 0.5 - 0.5 * Math.Cos(2 * Math.PI * k / 4096)).ToArray();
        foreach (int frame in new[] { 0, 9, mags.GetLength(0) - 1 })
        {
            // Centred frame: samples frame·1024 − 2048 … + 2047, reflected at the edges.
            double Sample(int j)
            {
                if (j < 0) j = -j;
                if (j >= x.Length) j = 2 * (x.Length - 1) - j;
                return x[j];
            }
            foreach (int bin in new[] { 0, 1, 17, 1000, 2048 })
            {
                Complex sum = 0;
                for (int k = 0; k < 4096; k++)
                    sum += win[k] * Sample(frame * 1024 - 2048 + k) * Complex.Exp(new Complex(0, -2 * Math.PI * bin * k / 4096));
                Assert.Equal(sum.Magnitude, mags[frame, bin], 1e-9 * (1 + sum.Magnitude));
            }
        }
    }

    [Fact]
    public void PureTonePeaksInItsFrequencyBin()
    {
        const double f = 1000, sr = 44100;
        var x = Enumerable.Range(0, 44100).Select(i => Math.Sin(2 * Math.PI * f * i / sr)).ToArray();
        var mags = Stft.Magnitudes(x);
        int frame = mags.GetLength(0) / 2;
        int peak = Enumerable.Range(0, mags.GetLength(1)).MaxBy(b => mags[frame, b]);
        Assert.Equal((int)Math.Round(f * 4096 / sr), peak);
    }
}
