using NLayer;

namespace Newtone.IO;

/// <summary>
/// Decodes MP3 (MPEG-1/2/2.5 audio, layers I–III) with NLayer into float samples at the file's own sample rate and
/// channel count. The length comes from the LAME/Xing header when there is one (encoder delay and padding removed),
/// else from a scan of the frame headers (no decoding); a stream that decodes to fewer samples is refused at its end.
/// </summary>
internal sealed class Mp3SampleSource : ISampleSource
{
    private readonly FileStream _stream;
    private readonly MpegFile _mpeg;
    private readonly string _path;
    private readonly int _channels;
    private long _frame;

    /// <summary>Takes over <paramref name="stream"/> (disposed here only on success).</summary>
    public Mp3SampleSource(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
        long length;
        int rate;
        try
        {
            _mpeg = new MpegFile(stream);
            _channels = _mpeg.Channels;
            rate = _mpeg.SampleRate;
            length = _mpeg.Length;
        }
        catch (Exception e) when (IsDecoderFault(e))
        {
            string why = e is InvalidDataException ? "no MPEG audio frames found" : AudioSources.OneLine(e.Message);
            throw new InputException($"{path}: not a readable MP3 file ({why}); Newtone reads {AudioSniffer.Supported}", e);
        }
        if (_channels is < 1 or > 2 || rate < 1 || length < 0)
            throw new InputException($"{path}: not a readable MP3 file ({_channels} channels at {rate} Hz, length {length})");
        Info = new WavFile.Info(rate, _channels, 32, "MP3", length / sizeof(float) / _channels);
    }

    /// <inheritdoc />
    public WavFile.Info Info { get; }

    /// <inheritdoc />
    public int Read(Span<float> interleaved)
    {
        int c = _channels;
        int frames = (int)Math.Min(interleaved.Length / c, Info.Frames - _frame);
        if (frames <= 0) return 0;
        var dest = interleaved[..(frames * c)];
        int got = 0;
        try
        {
            while (got < dest.Length)
            {
                int n = _mpeg.ReadSamples(dest[got..]);
                if (n <= 0) break;
                got += n;
            }
        }
        catch (Exception e) when (IsDecoderFault(e))
        {
            throw new InputException(FormattableString.Invariant(
                $"{_path}: damaged MP3 data near sample {_frame + got / c} ({AudioSources.OneLine(e.Message)})"), e);
        }
        if (got < dest.Length || got % c != 0)
            throw new InputException(FormattableString.Invariant(
                $"{_path}: the MP3 stream ended after {_frame + got / c} of the {Info.Frames} samples per channel its frames announce (truncated or damaged file?)"));
        _frame += frames;
        return frames;
    }

    /// <summary>What a decoder may throw on malformed data (NLayer does not restrict itself to one type).</summary>
    private static bool IsDecoderFault(Exception e) =>
        e is InvalidDataException or EndOfStreamException or IndexOutOfRangeException or ArgumentException
            or InvalidOperationException or NullReferenceException or OverflowException;

    /// <inheritdoc />
    public void Dispose()
    {
        _mpeg.Dispose();
        _stream.Dispose();
    }
}
