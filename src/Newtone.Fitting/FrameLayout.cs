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
