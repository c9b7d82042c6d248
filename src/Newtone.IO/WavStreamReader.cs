using NAudio.Wave;

namespace Newtone.IO;

/// <summary>
/// Reads a WAV file block by block, de-interleaved into one span per channel, so that files of any
/// length are processed without holding them whole. Samples are checked to be finite.
/// </summary>
public sealed class WavStreamReader : IDisposable
{
    private readonly WaveFileReader _reader;
    private readonly ISampleProvider _provider;
    private float[] _interleaved = [];
    private long _position;

    /// <summary>Opens a file (errors name it).</summary>
    public WavStreamReader(string path)
    {
        Path = path;
        _reader = WavFile.Open(path);
        Info = WavFile.InfoOf(_reader);
        try
        {
            _provider = WavFile.Samples(_reader, path);
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
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
            int n = _provider.Read(buffer.Slice(got * c, (frames - got) * c));
            if (n <= 0) break;
            got += n / c;
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
    public void Dispose() => _reader.Dispose();
}
