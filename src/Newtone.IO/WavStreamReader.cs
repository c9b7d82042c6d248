namespace Newtone.IO;

/// <summary>
/// Reads an audio file block by block, de-interleaved into one span per channel, so that files of any length are
/// processed without holding them whole. WAV (16/24/32-bit PCM or 32-bit float; RIFF or RF64; WAVE_FORMAT_EXTENSIBLE
/// included) and MP3 are read, told apart by their content; anything else, and every malformed header, is an
/// <see cref="InputException"/> of one line naming the file. Samples are checked to be finite.
/// </summary>
public sealed class WavStreamReader : IDisposable
{
    private readonly ISampleSource _source;
    private float[] _interleaved = [];
    private long _position;

    /// <summary>Opens a file and checks its header (errors name it).</summary>
    public WavStreamReader(string path)
    {
        Path = path;
        _source = AudioSources.Open(path);
        Info = _source.Info;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Its format.</summary>
    public WavFile.Info Info { get; }

    /// <summary>A buffer for <see cref="Read(float[][], int)"/>: one array of <paramref name="frames"/> samples per channel.</summary>
    public float[][] NewBlock(int frames) => Enumerable.Range(0, Info.Channels).Select(_ => new float[frames]).ToArray();

    /// <summary>
    /// Reads up to <paramref name="frames"/> frames into <paramref name="channels"/> (one array per channel,
    /// each at least that long); returns the frames read, 0 at the end.
    /// </summary>
    public int Read(float[][] channels, int frames) => Read(channels, 0, frames);

    /// <summary>As <see cref="Read(float[][], int)"/>, writing from index <paramref name="offset"/> of each channel array.</summary>
    public int Read(float[][] channels, int offset, int frames)
    {
        int c = Info.Channels;
        if (_interleaved.Length < frames * c) _interleaved = new float[frames * c];
        int got = ReadInterleaved(_interleaved.AsSpan(0, frames * c));
        if (c == 1)
        {
            _interleaved.AsSpan(0, got).CopyTo(channels[0].AsSpan(offset));
            return got;
        }
        for (int i = 0; i < got; i++)
            for (int ch = 0; ch < c; ch++) channels[ch][offset + i] = _interleaved[i * c + ch];
        return got;
    }

    /// <summary>
    /// Reads up to <c>buffer.Length / Channels</c> interleaved frames; returns the frames read, 0 at the end.
    /// Every sample is checked to be finite.
    /// </summary>
    public int ReadInterleaved(Span<float> buffer)
    {
        int c = Info.Channels;
        int frames = buffer.Length / c;
        int got = 0;
        while (got < frames)
        {
            int n = _source.Read(buffer.Slice(got * c, (frames - got) * c));
            if (n <= 0) break;
            got += n;
        }
        var read = buffer[..(got * c)];
        int bad = read.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        if (bad >= 0)
        {
            float v = read[bad];
            long frame = _position + bad / c;
            throw new InputException(FormattableString.Invariant(
                $"{Path}: sample {frame} of channel {bad % c + 1} ({frame / (double)Info.SampleRate:F3} s) is {(float.IsNaN(v) ? "NaN" : "infinite")}"));
        }
        _position += got;
        return got;
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
