namespace Newtone.Fitting;

/// <summary>
/// How a fitted model does on audio it was not fitted to (docs/model.md §2, "Held-out ESR"): the model runs over each
/// channel's whole recording in one pass from the initial state (so the held-out part starts from the state the
/// audio before it left), prediction and target are pre-filtered, and the ESR counts the samples from
/// <c>split</c> on. The best constant gain is scored on the same samples, as the yardstick.
/// </summary>
/// <param name="Esr">ESR (a fraction) of the model's output on the held-out samples.</param>
/// <param name="GainOnlyEsr">ESR (a fraction) of the best constant gain on the same samples.</param>
/// <param name="Samples">Held-out samples counted (over all channels).</param>
public readonly record struct HoldOutScore(double Esr, double GainOnlyEsr, long Samples)
{
    /// <summary>The first held-out sample of a recording of <paramref name="length"/> samples with a hold-out fraction.</summary>
    public static int Split(int length, double fraction)
    {
        if (!(fraction >= 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the hold-out is a fraction in [0, 1)");
        return (int)Math.Floor(length * (1 - fraction));
    }

    /// <summary>Scores <paramref name="model"/> on the samples from <paramref name="split"/> on, every channel alone.</summary>
    /// <param name="input">Input channels.</param>
    /// <param name="target">Target channels (same lengths).</param>
    /// <param name="model">The fitted model (make-up and look-ahead included).</param>
    /// <param name="sampleRate">Sample rate (Hz).</param>
    /// <param name="split">First held-out sample.</param>
    public static HoldOutScore Measure(IReadOnlyList<float[]> input, IReadOnlyList<float[]> target, CompressorModel model, int sampleRate, int split)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (input.Count != target.Count) throw new ArgumentException("input and target have different channel counts");
        double see = 0, stt = 0, sxx = 0, sxt = 0;
        long counted = 0;
        for (int c = 0; c < input.Count; c++)
        {
            var x = input[c];
            var t = target[c];
            if (x.Length != t.Length) throw new ArgumentException("input and target have different lengths");
            if (split < 0 || split > x.Length) throw new ArgumentOutOfRangeException(nameof(split));
            var y = new float[x.Length];
            Compressor.Process(x, y, model, sampleRate);
            double yi = 0, yo = 0, ti = 0, to = 0, xi = 0, xo = 0;
            for (int n = 0; n < x.Length; n++)
            {
                double py = PreFilter.Step(y[n], ref yi, ref yo);
                double pt = PreFilter.Step(t[n], ref ti, ref to);
                double px = PreFilter.Step(x[n], ref xi, ref xo);
                if (n < split) continue;
                double e = py - pt;
                see += e * e;
                stt += pt * pt;
                sxx += px * px;
                sxt += px * pt;
                counted++;
            }
        }
        if (!(stt > 0)) return new HoldOutScore(double.NaN, double.NaN, counted);
        double gain = TrainingSet.GainOnlyEsr(sxx, sxt, stt);
        return new HoldOutScore(see / stt, gain, counted);
    }
}
