namespace Newtone.Dsp;

/// <summary>
/// The opto model's part of a <see cref="CompressorProcessor"/> (docs/model.md §11): pre-emphasis state per channel, the
/// slow stage per gain path, and the block passes that turn detector samples into the mixed smoothed gain. The fast stage
/// state is the processor's own ĝ, so switching between ff5 and opto keeps the smoother running. Allocates nothing per block.
/// </summary>
internal sealed class OptoChain
{
    private OptoCoefficients _c;
    private readonly OptoDetector[] _emphasis;   // per channel
    private readonly double[] _slow;             // ĝs per gain path
    private readonly double[] _raw;              // the block's un-emphasised detector (for the expander)

    /// <summary>
    /// A chain for <paramref name="channels"/> channels and <paramref name="paths"/> gain paths in blocks of at most
    /// <paramref name="blockFrames"/> frames, slow stages at <paramref name="slow"/>.
    /// </summary>
    public OptoChain(OptoCoefficients coefficients, int channels, int paths, int blockFrames, double slow = 1.0)
    {
        _raw = new double[blockFrames];
        _c = coefficients;
        _emphasis = new OptoDetector[channels];
        _slow = new double[paths];
        Array.Fill(_slow, slow);
    }

    /// <summary>The coefficients being run.</summary>
    public OptoCoefficients Coefficients => _c;

    /// <summary>New coefficients, keeping the state.</summary>
    public void Update(in OptoCoefficients coefficients) => _c = coefficients;

    /// <summary>The mixed gain ĝ of gain path <paramref name="path"/> given its fast stage ĝf.</summary>
    public double Smoothed(int path, double fast) => OptoBallistics.Mix(fast, _slow[path], _c.Share);

    /// <summary>Back to the initial state: emphasis 0, ĝs = 1.</summary>
    public void Reset()
    {
        Array.Clear(_emphasis);
        Array.Fill(_slow, 1.0);
    }

    /// <summary>
    /// The mixed smoothed gain of one channel's detector block (channel <paramref name="path"/>, its own gain path), into
    /// <paramref name="gain"/>; <paramref name="fast"/> is the path's fast-stage state.
    /// </summary>
    public void Gain(ReadOnlySpan<float> detector, Span<double> gain, int path, ref double fast, in CompressorCoefficients cc)
    {
        ref var em = ref _emphasis[path];
        var raw = _raw.AsSpan(0, detector.Length);
        for (int i = 0; i < detector.Length; i++)
        {
            raw[i] = detector[i];
            gain[i] = em.Next(detector[i], _c.EmphasisPole, _c.Emphasis);
        }
        Finish(gain, raw, path, ref fast, cc);
    }

    /// <summary>
    /// The linked gain of an interleaved block of <paramref name="frames"/> frames: each channel pre-emphasised on its own,
    /// the detector the loudest, <c>max_c |e_c[n]|</c> (the expander's: <c>max_c |x_c[n]|</c>); one gain path (0).
    /// </summary>
    public void LinkedGain(ReadOnlySpan<float> x, int channels, int frames, Span<double> gain, ref double fast, in CompressorCoefficients cc)
    {
        for (int i = 0; i < frames; i++)
        {
            double m = 0;
            float r = 0;
            for (int c = 0; c < channels; c++)
            {
                float v = x[i * channels + c];
                r = Math.Max(r, Math.Abs(v));
                m = Math.Max(m, Math.Abs(_emphasis[c].Next(v, _c.EmphasisPole, _c.Emphasis)));
            }
            gain[i] = m;
            _raw[i] = r;
        }
        Finish(gain[..frames], _raw.AsSpan(0, frames), 0, ref fast, cc);
    }

    private void Finish(Span<double> gain, ReadOnlySpan<double> raw, int path, ref double fast, in CompressorCoefficients cc)
    {
        OptoDetector.Apply(gain, raw, cc.ThresholdDb, cc.Ratio, _c.KneeNepers);
        OptoBallistics.Smooth(gain, ref fast, ref _slow[path], cc.Attack, cc.Release, _c);
    }
}
