using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        // Four frames at a time, one per vector lane (the pre-filter recursion is serial within a frame), groups of four
        // in parallel; each lane's sums are added in frame order afterwards, so the result does not depend on anything
        // but the frames.
        int count = Frames.Count, length = Layout.FrameLength;
        foreach (var f in Frames)
        {
            if (f.Start < 0 || f.Start + length > Input[f.Channel].Length || f.Start + length > Target[f.Channel].Length)
                throw new InvalidOperationException("frame exceeds its channel");
        }
        int groups = (count + 3) / 4;
        var lanes = new double[groups * 12];
        Parallel.For(0, groups, g => GainOnlySums(4 * g, lanes.AsSpan(12 * g, 12)));
        double sxx = 0, sxt = 0, stt = 0;
        for (int f = 0; f < count; f++)
        {
            int g = f / 4, l = f % 4;
            sxx += lanes[12 * g + l];
            sxt += lanes[12 * g + 4 + l];
            stt += lanes[12 * g + 8 + l];
        }
        return GainOnlyEsr(sxx, sxt, stt);
    }

    /// <summary>Per lane Σp², Σpq, Σq² (four each) of frames f0 … f0 + 3 (lanes past the last frame repeat it; frames checked by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GainOnlySums(int f0, Span<double> sums)
    {
        var V0 = Vector256<double>.Zero;
        int count = Frames.Count, length = Layout.FrameLength, overlap = Layout.Overlap;
        var xs = new float[4][];
        var ts = new float[4][];
        var starts = new int[4];
        for (int l = 0; l < 4; l++)
        {
            var f = Frames[Math.Min(f0 + l, count - 1)];   // lanes past the last frame repeat it; ignored by the caller
            xs[l] = Input[f.Channel];
            ts[l] = Target[f.Channel];
            starts[l] = f.Start;
        }
        ReadOnlySpan<float> x0 = xs[0].AsSpan(starts[0], length), x1 = xs[1].AsSpan(starts[1], length), x2 = xs[2].AsSpan(starts[2], length), x3 = xs[3].AsSpan(starts[3], length);
        ReadOnlySpan<float> t0 = ts[0].AsSpan(starts[0], length), t1 = ts[1].AsSpan(starts[1], length), t2 = ts[2].AsSpan(starts[2], length), t3 = ts[3].AsSpan(starts[3], length);
        var xi = V0; var xo = V0; var ti = V0; var to = V0;
        var vxx = V0; var vxt = V0; var vtt = V0;
        for (int n = 0; n < length; n++)
        {
            var x = Vector256.WidenLower(Vector128.Create(x0[n], x1[n], x2[n], x3[n]).ToVector256Unsafe());
            var t = Vector256.WidenLower(Vector128.Create(t0[n], t1[n], t2[n], t3[n]).ToVector256Unsafe());
            var p = PreFilter.Step(x, ref xi, ref xo);
            var q = PreFilter.Step(t, ref ti, ref to);
            if (n < overlap) continue;
            vxx += p * p;
            vxt += p * q;
            vtt += q * q;
        }
        vxx.CopyTo(sums[..4]);
        vxt.CopyTo(sums[4..8]);
        vtt.CopyTo(sums[8..]);
    }

    /// <summary>
    /// ESR of the best constant gain c (minimising Σ(c·p − q)²) from the sums Σp², Σpq, Σq²:
    /// <c>1 − (Σpq)²/(Σp²·Σq²)</c>; 1 when either signal is silent.
    /// </summary>
    internal static double GainOnlyEsr(double spp, double spq, double sqq) =>
        spp > 0 && sqq > 0 ? Math.Max(0, 1 - spq * spq / (spp * sqq)) : 1;
}
