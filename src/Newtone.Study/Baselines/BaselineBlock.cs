using System.Globalization;

namespace Newtone.Study;

/// <summary>The length of the blocks a plugin processes: seconds (converted at each file's rate) or frames.</summary>
/// <param name="Seconds">Seconds, when the length is given in time (else 0).</param>
/// <param name="Frames">Frames, when the length is given in frames (else 0).</param>
public readonly record struct BaselineBlock(double Seconds, int Frames)
{
    /// <summary>The reference's one-second blocks.</summary>
    public static BaselineBlock OneSecond => new(1, 0);

    /// <summary>The most frames one block may hold.</summary>
    public const int MaxFrames = 1 << 22;

    /// <summary>Frames per block at a sample rate (at least 1).</summary>
    public int FramesAt(int sampleRate) => Frames > 0 ? Frames : Math.Clamp((int)Math.Round(Seconds * sampleRate), 1, MaxFrames);

    /// <summary>Parses "1s", "0.5s", "250ms" or a whole number of frames ("4096"); an <see cref="InputException"/> otherwise.</summary>
    public static BaselineBlock Parse(string text)
    {
        string t = text.Trim();
        const NumberStyles f = NumberStyles.Float;
        var c = CultureInfo.InvariantCulture;
        if (t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(t[..^2], f, c, out double ms) && double.IsFinite(ms) && ms > 0 && ms <= 60_000)
            return new BaselineBlock(ms / 1000, 0);
        if (t.EndsWith('s') && double.TryParse(t[..^1], f, c, out double s) && double.IsFinite(s) && s > 0 && s <= 60)
            return new BaselineBlock(s, 0);
        if (int.TryParse(t, NumberStyles.None, c, out int n) && n >= 1 && n <= MaxFrames)
            return new BaselineBlock(0, n);
        throw new InputException($"block length '{text}': give seconds (e.g. 1s, 0.5s, 250ms; at most 60 s) or whole frames (1…{MaxFrames}, e.g. 4096)");
    }

    /// <inheritdoc />
    public override string ToString() => Frames > 0 ? $"{Frames} frames" : string.Create(CultureInfo.InvariantCulture, $"{Seconds:G6} s");
}
