using NAudio.Wave;

namespace Newtone.Audio;

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
        int got = 0;
        while (got < frames)
        {
            int n = _provider.Read(_interleaved.AsSpan(got * c, (frames - got) * c));
            if (n <= 0) break;
            got += n / c;
        }
        for (int i = 0; i < got; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float v = _interleaved[i * c + ch];
                if (!float.IsFinite(v))
                    throw new InputException(FormattableString.Invariant(
                        $"{Path}: sample {_position + i} of channel {ch + 1} ({(_position + i) / (double)Info.SampleRate:F3} s) is {(float.IsNaN(v) ? "NaN" : "infinite")}"));
                channels[ch][offset + i] = v;
            }
        }
        _position += got;
        return got;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}

/// <summary>
/// Writes a 32-bit float WAV block by block into a temporary file that only <see cref="Commit"/> renames
/// into place; disposing without committing removes it, so a crash never leaves a half-written output.
/// </summary>
public sealed class WavStreamWriter : IDisposable
{
    private readonly string _path;
    private readonly string _tmp;
    private WaveFileWriter? _writer;
    private float[] _interleaved = [];
    private readonly int _channels;

    /// <summary>Starts writing <paramref name="path"/> (created with its folder on commit).</summary>
    public WavStreamWriter(string path, int sampleRate, int channels)
    {
        _path = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(_path) ?? ".";
        Directory.CreateDirectory(dir);
        _tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        _channels = channels;
        _writer = new WaveFileWriter(_tmp, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels));
    }

    /// <summary>Appends <paramref name="frames"/> frames from per-channel arrays.</summary>
    public void Write(float[][] channels, int frames) => Write(channels, 0, frames);

    /// <summary>Appends <paramref name="frames"/> frames starting at index <paramref name="offset"/> of each channel array.</summary>
    public void Write(float[][] channels, int offset, int frames)
    {
        if (_writer is null) throw new ObjectDisposedException(nameof(WavStreamWriter));
        if (_channels == 1)
        {
            _writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(channels[0].AsSpan(offset, frames)));
            return;
        }
        if (_interleaved.Length < frames * _channels) _interleaved = new float[frames * _channels];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < _channels; c++) _interleaved[i * _channels + c] = channels[c][offset + i];
        _writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_interleaved.AsSpan(0, frames * _channels)));
    }

    /// <summary>Finishes the file and renames it into place.</summary>
    public void Commit()
    {
        if (_writer is null) throw new ObjectDisposedException(nameof(WavStreamWriter));
        _writer.Dispose();
        _writer = null;
        File.Move(_tmp, _path, overwrite: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_writer is null) return;
        _writer.Dispose();
        _writer = null;
        try { File.Delete(_tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
