namespace Newtone.Fitting;

/// <summary>
/// Framing of docs/model.md §2: frames of <see cref="FrameLength"/> samples starting at 0, hop, 2·hop, …
/// (hop = length − overlap); only whole frames are used. Every frame is processed independently
/// from the initial state, and the loss counts only samples at or after <see cref="Overlap"/>.
/// </summary>
public readonly record struct FrameLayout(int FrameLength, int Overlap)
{
    /// <summary>Hop between frame starts.</summary>
    public int Hop => FrameLength - Overlap;

    /// <summary>Layout from seconds, truncating like the reference (<c>int(sr·seconds)</c>).</summary>
    public static FrameLayout FromSeconds(double sampleRate, double durationSeconds, double overlapSeconds)
    {
        if (!(durationSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "frame duration must be positive");
        if (!(overlapSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(overlapSeconds), overlapSeconds, "overlap must not be negative");
        int frame = (int)(sampleRate * durationSeconds);
        int overlap = (int)(sampleRate * overlapSeconds);
        if (frame <= 0) throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "frame is shorter than one sample");
        if (overlap >= frame) throw new ArgumentOutOfRangeException(nameof(overlapSeconds), overlapSeconds, "overlap must be shorter than the frame");
        return new FrameLayout(frame, overlap);
    }

    /// <summary>Number of whole frames in a signal of <paramref name="length"/> samples.</summary>
    public int CountFrames(long length) => length < FrameLength ? 0 : (int)((length - FrameLength) / Hop + 1);
}

/// <summary>One frame: a channel (row) and the index of its first sample.</summary>
/// <param name="Channel">Channel index.</param>
/// <param name="Start">First sample.</param>
public readonly record struct Frame(int Channel, int Start);

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
}
