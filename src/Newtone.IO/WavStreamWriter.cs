using NAudio.Wave;

namespace Newtone.IO;

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
        _tmp = TempFile.For(_path);
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

    /// <summary>Appends interleaved frames (<c>Length</c> a multiple of the channel count).</summary>
    public void WriteInterleaved(ReadOnlySpan<float> interleaved)
    {
        if (_writer is null) throw new ObjectDisposedException(nameof(WavStreamWriter));
        _writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(interleaved));
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
        TempFile.Delete(_tmp);
    }
}
