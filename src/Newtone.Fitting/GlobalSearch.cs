
namespace Newtone.Fitting;

/// <summary>
/// The cheap global stage (docs/model.md §3.1). Quasi-random candidates spread over the
/// physical ranges (threshold over the 48 dB below the input's peak, ratio, attack and release
/// log-uniformly), each with its least-squares make-up gain, are scored by the loss alone on a
/// few excerpts of the recording; Newton then runs from the best few and from the initial point.
/// </summary>
internal static class GlobalSearch
{
    /// <summary>Excerpts of a long recording, or the training set itself when it is short enough.</summary>
    public static (TrainingSet Set, bool All) StageSet(TrainingSet data, SearchOptions o)
    {
        var layout = data.Layout;
        double sr = data.SampleRate;
        long budget = (long)(o.Seconds * sr);
        if (data.CountedSamples <= budget * o.WholeSetFactor) return (data, true);
        int excerpt = Math.Max(1, (int)(o.ExcerptSeconds * sr));
        var small = new FrameLayout(layout.Overlap + excerpt, layout.Overlap);
        int count = (int)Math.Max(1, budget / excerpt);
        // Spread excerpt starts evenly over all channels laid end to end.
        var channels = data.Input.Select(c => (long)Math.Max(0, c.Length - small.FrameLength)).ToArray();
        long total = channels.Sum();
        var frames = new List<Frame>();
        for (int i = 0; i < count; i++)
        {
            long pos = (long)((i + 0.5) / count * total);
            int ch = 0;
            while (ch < channels.Length - 1 && pos >= channels[ch]) { pos -= channels[ch]; ch++; }
            frames.Add(new Frame(ch, (int)Math.Min(pos, channels[ch])));
        }
        return (new TrainingSet(data.Input, data.Target, sr, small, frames), false);
    }

    /// <summary>Quasi-random candidates (Halton sequence, bases 2, 3, 5, 7, with a seeded random shift).</summary>
    public static List<CompressorSettings> Candidates(TrainingSet data, ParameterSpace space, SearchOptions o)
    {
        float peak = 0;
        foreach (var c in data.Input) peak = Math.Max(peak, Peak(c));
        double top = Decibels.FromAmplitude(Math.Max(peak, 1e-6));
        var rng = new Rng(o.Seed);
        double[] shift = [rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.NextDouble()];
        var (rLo, rHi) = space.RatioRange is { } rr ? (Math.Max(rr.Min, 1.0) * 1.1, rr.Max) : (1.1, 20.0);
        var (aLo, aHi) = space.AttackRangeMs is { } ar ? (ar.Min, ar.Max) : (0.1, 100.0);
        var (lLo, lHi) = space.ReleaseRangeMs is { } lr ? (lr.Min, lr.Max) : (10.0, 1000.0);
        var list = new List<CompressorSettings>(o.Candidates);
        for (int i = 1; i <= o.Candidates; i++)
        {
            double u0 = Frac(Halton(i, 2) + shift[0]), u1 = Frac(Halton(i, 3) + shift[1]);
            double u2 = Frac(Halton(i, 5) + shift[2]), u3 = Frac(Halton(i, 7) + shift[3]);
            list.Add(new CompressorSettings(
                top - o.ThresholdSpanDb * u0,
                LogLerp(rLo, rHi, u1),
                LogLerp(aLo, aHi, u2),
                LogLerp(lLo, lHi, u3),
                0));
        }
        return list;
    }

    /// <summary>max |v| over a channel (NaN if any sample is NaN), a vector at a time.</summary>
    private static float Peak(float[] c)
    {
        var acc = System.Numerics.Vector<float>.Zero;
        int i = 0, w = System.Numerics.Vector<float>.Count;
        for (; i + w <= c.Length; i += w) acc = System.Numerics.Vector.Max(acc, System.Numerics.Vector.Abs(new System.Numerics.Vector<float>(c, i)));
        float peak = 0;
        for (int k = 0; k < w; k++) peak = Math.Max(peak, acc[k]);
        for (; i < c.Length; i++) peak = Math.Max(peak, Math.Abs(c[i]));
        return peak;
    }

    /// <summary>Moves M to the least-squares make-up for the gain curve of θ.</summary>
    public static Theta WithBestMakeUp(Theta theta, LossResult loss, double sign)
    {
        double q = loss.OptimalScaleFactor;
        if (!(q > 0) || !double.IsFinite(q)) return theta;
        return theta with { MakeUp = theta.MakeUp + sign * Decibels.FromAmplitude(q) };
    }

    /// <summary>Normalised coordinates, for telling candidates apart.</summary>
    public static double[] Coordinates(CompressorSettings s) =>
        [s.ThresholdDb / 48, Math.Log(Math.Max(s.Ratio, 1.0001)) / 3, Math.Log(s.AttackMs) / 7, Math.Log(s.ReleaseMs) / 5];

    public static double Distance(double[] a, double[] b)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++) d = Math.Max(d, Math.Abs(a[i] - b[i]));
        return d;
    }

    private static double LogLerp(double lo, double hi, double u) => Math.Exp(Math.Log(lo) + u * (Math.Log(hi) - Math.Log(lo)));

    private static double Frac(double v) => v - Math.Floor(v);

    private static double Halton(int index, int b)
    {
        double f = 1, r = 0;
        for (int i = index; i > 0; i /= b)
        {
            f /= b;
            r += f * (i % b);
        }
        return r;
    }
}
