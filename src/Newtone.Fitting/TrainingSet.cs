namespace Newtone.Fitting;

/// <summary>
/// An input/target pair cut into frames (docs/model.md §2). Channels become separate rows: each
/// channel contributes its own frames.
/// </summary>
public sealed class TrainingSet
{
    /// <summary>Frames the pair into <paramref name="layout"/>.</summary>
    public TrainingSet(float[][] input, float[][] target, double sampleRate, FrameLayout layout)
    {
        if (input.Length == 0 || input.Length != target.Length) throw new ArgumentException("input and target need the same, non-zero number of channels");
        Input = input;
        Target = target;
        SampleRate = sampleRate;
        Layout = layout;
        var frames = new List<Frame>();
        for (int c = 0; c < input.Length; c++)
        {
            if (input[c].Length != target[c].Length) throw new ArgumentException("input and target channels differ in length");
            int count = layout.CountFrames(input[c].Length);
            for (int f = 0; f < count; f++) frames.Add(new Frame(c, f * layout.Hop));
        }
        Frames = frames;
    }

    /// <summary>A set with explicitly placed frames (used for the global stage's excerpts).</summary>
    public TrainingSet(float[][] input, float[][] target, double sampleRate, FrameLayout layout, IReadOnlyList<Frame> frames)
    {
        foreach (var f in frames)
        {
            if (f.Channel < 0 || f.Channel >= input.Length || f.Start < 0 || (long)f.Start + layout.FrameLength > input[f.Channel].Length)
                throw new ArgumentOutOfRangeException(nameof(frames), f, "frame outside the audio");
        }
        Input = input;
        Target = target;
        SampleRate = sampleRate;
        Layout = layout;
        Frames = frames.ToArray();
    }

    /// <summary>Total samples per channel summed over channels.</summary>
    public long TotalSamples => Input.Sum(c => (long)c.Length);

    /// <summary>Input channels.</summary>
    public float[][] Input { get; }

    /// <summary>Target channels.</summary>
    public float[][] Target { get; }

    /// <summary>Sample rate (Hz).</summary>
    public double SampleRate { get; }

    /// <summary>Frame layout.</summary>
    public FrameLayout Layout { get; }

    /// <summary>Every frame, channel by channel.</summary>
    public IReadOnlyList<Frame> Frames { get; }

    /// <summary>Samples processed per frame and samples counted in the loss per frame.</summary>
    public long CountedSamples => (long)Frames.Count * (Layout.FrameLength - Layout.Overlap);

    /// <summary>
    /// Up to <paramref name="maxFrames"/> frames spread evenly over the recording (all of them when
    /// there are no more than that), as indices into <see cref="Frames"/>.
    /// </summary>
    public int[] SpreadFrames(int maxFrames)
    {
        int n = Frames.Count;
        if (maxFrames >= n) return Enumerable.Range(0, n).ToArray();
        var picked = new int[maxFrames];
        for (int i = 0; i < maxFrames; i++) picked[i] = (int)((i + 0.5) * n / maxFrames);
        return picked;
    }

    /// <summary>
    /// ESR (a fraction) of the best constant gain — the model with no compression at all — on the frames' counted
    /// samples: with p = P[x] and q = P[t] pre-filtered per frame, <c>1 − (Σpq)² / (Σp²·Σq²)</c>. What a fit is
    /// measured against: the compressor earns its parameters only by beating it.
    /// </summary>
    public double GainOnlyEsr()
    {
        double sxx = 0, sxt = 0, stt = 0;
        foreach (var f in Frames)
        {
            var x = Input[f.Channel].AsSpan(f.Start, Layout.FrameLength);
            var t = Target[f.Channel].AsSpan(f.Start, Layout.FrameLength);
            double xi = 0, xo = 0, ti = 0, to = 0;
            for (int n = 0; n < x.Length; n++)
            {
                double p = PreFilter.Step(x[n], ref xi, ref xo), q = PreFilter.Step(t[n], ref ti, ref to);
                if (n < Layout.Overlap) continue;
                sxx += p * p;
                sxt += p * q;
                stt += q * q;
            }
        }
        return sxx > 0 && stt > 0 ? Math.Max(0, 1 - sxt * sxt / (sxx * stt)) : 1;
    }
}
