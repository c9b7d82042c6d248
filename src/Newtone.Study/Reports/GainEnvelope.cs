namespace Newtone.Study;

/// <summary>
/// The gain a recording shows, as the fit figure draws it: the target's envelope over the input's, in dB, each the
/// one-pole smoothing (10 ms) of the rectified signal. Where the input is near silence the ratio means nothing (it
/// divides noise by noise and swings by tens of dB), so it is masked there: not a number, drawn as a gap.
/// </summary>
internal static class GainEnvelope
{
    /// <summary>Time constant of the envelope smoothing (ms).</summary>
    public const double SmoothingMs = 10;

    /// <summary>An input envelope below this level (dBFS) is near silence: the ratio is masked.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>An input envelope this far (dB) below the excerpt's loudest is masked too.</summary>
    public const double RangeDb = 40;

    /// <summary>
    /// The ratio target/input of the envelopes in dB for the samples [<paramref name="start"/>, <paramref name="start"/> +
    /// <paramref name="count"/>), NaN where the input's envelope is below <paramref name="floorDbfs"/>: the larger of
    /// <see cref="SilenceDbfs"/> and the excerpt's loudest input envelope minus <see cref="RangeDb"/>. The envelopes
    /// warm up over the second before <paramref name="start"/> (as much of it as there is).
    /// </summary>
    public static double[] RatioDb(ReadOnlySpan<float> input, ReadOnlySpan<float> target, int sampleRate, int start, int count, out double floorDbfs)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), "the sample rate must be positive");
        if (start < 0 || count < 0 || start + (long)count > Math.Min(input.Length, target.Length))
            throw new ArgumentOutOfRangeException(nameof(count), "the excerpt must lie inside both signals");
        double a = -double.ExpM1(-1000 / (SmoothingMs * sampleRate)), ex = 0, ey = 0;
        var inputDb = new double[count];
        var ratio = new double[count];
        double peak = double.NegativeInfinity;
        for (int i = Math.Max(0, start - sampleRate); i < start + count; i++)
        {
            ex += a * (Math.Abs(input[i]) - ex);
            ey += a * (Math.Abs(target[i]) - ey);
            if (i < start) continue;
            double lx = 20 * Math.Log10(Math.Max(ex, 1e-12));
            inputDb[i - start] = lx;
            peak = Math.Max(peak, lx);
            ratio[i - start] = 20 * Math.Log10(Math.Max(ey, 1e-12)) - lx;
        }
        floorDbfs = Math.Max(SilenceDbfs, peak - RangeDb);
        for (int i = 0; i < count; i++)
            if (!(inputDb[i] >= floorDbfs)) ratio[i] = double.NaN;
        return ratio;
    }
}
