namespace Newtone.Study;

/// <summary>
/// Deterministic music-like test audio: drums, bass, chords and a lead line in sections of
/// different loudness (with crescendos and a quiet break), so that a compressor meets transients,
/// sustained notes, level changes and near-silence. Peak-normalised to −1 dBFS.
/// </summary>
public static class MusicGenerator
{
    private static readonly int[] Scale = [0, 2, 4, 7, 9, 12, 14, 16];

    /// <summary>Generates <paramref name="seconds"/> of mono audio.</summary>
    public static float[] Generate(double seconds, int sampleRate, ulong seed)
    {
        int n = (int)Math.Round(seconds * sampleRate);
        var buffer = new double[n];
        var rng = new Rng(seed);
        double bpm = rng.Uniform(96, 132);
        double beat = 60.0 / bpm;
        double bar = 4 * beat;
        int rootMidi = 40 + rng.Next(8);
        double sr = sampleRate;

        // Section loudness: a new level every 2–4 bars, ramps in between, one quiet break.
        var sectionGain = new List<(double Start, double Gain, bool Ramp)>();
        for (double tSec = 0; tSec < seconds; )
        {
            double len = bar * (2 + rng.Next(3));
            double levelDb = rng.Uniform(-20, 0);
            if (rng.NextDouble() < 0.12 && tSec > 0) levelDb = rng.Uniform(-45, -32);   // a quiet break, never first
            sectionGain.Add((tSec, Math.Pow(10, levelDb / 20), rng.NextDouble() < 0.35));
            tSec += len;
        }

        int barCount = (int)Math.Ceiling(seconds / bar);
        for (int b = 0; b < barCount; b++)
        {
            double t0 = b * bar;
            int chord = new[] { 0, 5, 7, 3 }[b % 4];
            // Drums
            for (int k = 0; k < 4; k++)
            {
                double tb = t0 + k * beat;
                if (k % 2 == 0) Kick(buffer, sr, tb, rng.Uniform(0.7, 1.0));
                else Snare(buffer, sr, tb, rng.Uniform(0.4, 0.7), rng);
                for (int h = 0; h < 2; h++) Hat(buffer, sr, tb + h * beat / 2, rng.Uniform(0.05, 0.2), rng);
            }
            // Bass: one note per beat, sometimes syncopated
            for (int k = 0; k < 4; k++)
            {
                double tb = t0 + k * beat + (rng.NextDouble() < 0.2 ? beat / 2 : 0);
                int midi = rootMidi + chord + (rng.NextDouble() < 0.3 ? 7 : 0);
                Tone(buffer, sr, tb, beat * 0.9, Midi(midi), 0.35, harmonics: 6, attack: 0.005, release: 0.08, vibrato: 0);
            }
            // Pad chord for the whole bar
            foreach (int iv in new[] { 0, 4, 7 })
                Tone(buffer, sr, t0, bar, Midi(rootMidi + 24 + chord + iv), 0.07, harmonics: 3, attack: 0.3, release: 0.4, vibrato: 0.002);
            // Lead: eighth notes with rests
            for (int e = 0; e < 8; e++)
            {
                if (rng.NextDouble() < 0.3) continue;
                double tb = t0 + e * beat / 2;
                int midi = rootMidi + 24 + chord + Scale[rng.Next(Scale.Length)];
                double dur = beat / 2 * rng.Uniform(0.5, 1.8);
                Tone(buffer, sr, tb, dur, Midi(midi), rng.Uniform(0.1, 0.25), harmonics: 5, attack: 0.01, release: 0.1, vibrato: 0.004);
            }
        }

        // Apply section dynamics.
        int si = 0;
        for (int i = 0; i < n; i++)
        {
            double tt = i / sr;
            while (si + 1 < sectionGain.Count && sectionGain[si + 1].Start <= tt) si++;
            var (start, gain, ramp) = sectionGain[si];
            if (ramp && si + 1 < sectionGain.Count)
            {
                var next = sectionGain[si + 1];
                double f = (tt - start) / (next.Start - start);
                gain = gain * Math.Pow(next.Gain / gain, f);
            }
            buffer[i] *= gain;
        }

        double peak = 0;
        foreach (double v in buffer) peak = Math.Max(peak, Math.Abs(v));
        double norm = peak > 0 ? Math.Pow(10, -1.0 / 20) / peak : 0;
        var result = new float[n];
        for (int i = 0; i < n; i++) result[i] = (float)(buffer[i] * norm);
        return result;
    }

    /// <summary>Adds white Gaussian noise of RMS <paramref name="levelDbfs"/> (dBFS) in place.</summary>
    public static void AddNoise(Span<float> signal, double levelDbfs, ulong seed)
    {
        var rng = new Rng(seed);
        double sigma = Math.Pow(10, levelDbfs / 20);
        for (int i = 0; i < signal.Length; i++) signal[i] += (float)(sigma * rng.Gaussian());
    }

    private static double Midi(int note) => 440 * Math.Pow(2, (note - 69) / 12.0);

    private static void Tone(double[] buf, double sr, double start, double dur, double freq, double amp,
        int harmonics, double attack, double release, double vibrato)
    {
        int i0 = (int)(start * sr);
        int len = (int)((dur + release) * sr);
        double phase = 0;
        for (int i = 0; i < len && i0 + i < buf.Length; i++)
        {
            double t = i / sr;
            double env = t < attack ? t / attack : t < dur ? 1.0 : Math.Exp(-(t - dur) / (release / 3));
            double f = freq * (1 + vibrato * Math.Sin(2 * Math.PI * 5.5 * t));
            phase += 2 * Math.PI * f / sr;
            if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
            // sin(h·φ) by the Chebyshev recurrence sin((h+1)φ) = 2cos φ·sin(hφ) − sin((h−1)φ).
            var (s1, c1) = Math.SinCos(phase);
            double prev = 0, cur = s1, twoCos = 2 * c1, v = 0;
            for (int h = 1; h <= harmonics; h++)
            {
                v += cur / (h * h * 0.7 + 0.3);
                (prev, cur) = (cur, twoCos * cur - prev);
            }
            buf[i0 + i] += amp * env * v;
        }
    }

    private static void Kick(double[] buf, double sr, double start, double amp)
    {
        int i0 = (int)(start * sr);
        int len = (int)(0.35 * sr);
        double phase = 0;
        for (int i = 0; i < len && i0 + i < buf.Length; i++)
        {
            double t = i / sr;
            double f = 45 + 90 * Math.Exp(-t / 0.03);
            phase += 2 * Math.PI * f / sr;
            buf[i0 + i] += amp * Math.Exp(-t / 0.12) * Math.Sin(phase);
        }
    }

    private static void Snare(double[] buf, double sr, double start, double amp, Rng rng)
    {
        int i0 = (int)(start * sr);
        int len = (int)(0.2 * sr);
        for (int i = 0; i < len && i0 + i < buf.Length; i++)
        {
            double t = i / sr;
            double env = Math.Exp(-t / 0.05);
            buf[i0 + i] += amp * env * (0.6 * rng.Gaussian() * 0.5 + 0.4 * Math.Sin(2 * Math.PI * 185 * t));
        }
    }

    private static void Hat(double[] buf, double sr, double start, double amp, Rng rng)
    {
        int i0 = (int)(start * sr);
        int len = (int)(0.06 * sr);
        double prev = 0;
        for (int i = 0; i < len && i0 + i < buf.Length; i++)
        {
            double t = i / sr;
            double w = rng.Gaussian();
            buf[i0 + i] += amp * Math.Exp(-t / 0.015) * (w - prev) * 0.5;   // first difference: bright noise
            prev = w;
        }
    }
}
