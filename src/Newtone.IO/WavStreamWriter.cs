using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Newtone.IO;

/// <summary>
/// Writes a 32-bit float WAV block by block into a temporary file that only <see cref="Commit"/> renames
/// into place; disposing without committing removes it, so a crash never leaves a half-written output.
/// Files up to 4 GiB are plain RIFF WAV (a 58-byte header: 'fmt ', 'fact', 'data'); larger ones become RF64
/// (EBU Tech 3306: 'RF64', a 'ds64' chunk with the 64-bit sizes, 0xFFFFFFFF in the 32-bit size fields).
/// </summary>
public sealed class WavStreamWriter : IDisposable
{
    /// <summary>Header bytes of the RIFF form: RIFF/WAVE 12, 'fmt ' 26, 'fact' 12, 'data' 8.</summary>
    internal const int RiffHeaderBytes = 58;

    /// <summary>Bytes the RF64 form adds: the 'ds64' chunk (8 + 28).</summary>
    internal const int Ds64Bytes = 36;

    /// <summary>The most sample bytes a RIFF WAV holds: its 32-bit RIFF size counts the header after its first 8 bytes.</summary>
    internal const long MaxRiffDataBytes = uint.MaxValue - (RiffHeaderBytes - 8);

    private readonly string _path;
    private readonly string _tmp;
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly long _maxRiffDataBytes;
    private FileStream? _file;
    private long _dataBytes;
    private float[] _interleaved = [];

    /// <summary>
    /// Starts writing <paramref name="path"/> (created with its folder on commit); a name that does not end in
    /// <c>.wav</c> is an <see cref="InputException"/>, before anything is created.
    /// </summary>
    public WavStreamWriter(string path, int sampleRate, int channels) : this(path, sampleRate, channels, MaxRiffDataBytes) { }

    /// <summary>As the public constructor, turning to RF64 once the samples exceed <paramref name="maxRiffDataBytes"/> (tests force it on small files).</summary>
    internal WavStreamWriter(string path, int sampleRate, int channels, long maxRiffDataBytes)
    {
        if (!string.Equals(System.IO.Path.GetExtension(path), ".wav", StringComparison.OrdinalIgnoreCase))
            throw new InputException($"{path}: Newtone writes WAV files; give the output a .wav name");
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, WavHeader.MaxSampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, WavHeader.MaxChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRiffDataBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRiffDataBytes, MaxRiffDataBytes);
        _path = System.IO.Path.GetFullPath(path);
        _sampleRate = sampleRate;
        _channels = channels;
        _maxRiffDataBytes = maxRiffDataBytes;
        _tmp = TempFile.For(_path);
        _file = new FileStream(_tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            _file.Write(Header(rf64: false));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Appends <paramref name="frames"/> frames from per-channel arrays.</summary>
    public void Write(float[][] channels, int frames) => Write(channels, 0, frames);

    /// <summary>Appends <paramref name="frames"/> frames starting at index <paramref name="offset"/> of each channel array.</summary>
    public void Write(float[][] channels, int offset, int frames)
    {
        if (_file is null) throw new ObjectDisposedException(nameof(WavStreamWriter));
        if (_channels == 1)
        {
            Append(channels[0].AsSpan(offset, frames));
            return;
        }
        if (_interleaved.Length < frames * _channels) _interleaved = new float[frames * _channels];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < _channels; c++) _interleaved[i * _channels + c] = channels[c][offset + i];
        Append(_interleaved.AsSpan(0, frames * _channels));
    }

    /// <summary>Appends interleaved frames (<c>Length</c> a multiple of the channel count).</summary>
    public void WriteInterleaved(ReadOnlySpan<float> interleaved)
    {
        if (_file is null) throw new ObjectDisposedException(nameof(WavStreamWriter));
        if (interleaved.Length % _channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {_channels} channels", nameof(interleaved));
        Append(interleaved);
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (BitConverter.IsLittleEndian)
        {
            _file!.Write(MemoryMarshal.AsBytes(samples));
        }
        else
        {
            Span<byte> b = stackalloc byte[4];
            foreach (float v in samples)
            {
                BinaryPrimitives.WriteSingleLittleEndian(b, v);
                _file!.Write(b);
            }
        }
        _dataBytes += samples.Length * sizeof(float);
    }

    /// <summary>Finishes the file (RF64 when its samples outgrow RIFF) and renames it into place.</summary>
    public void Commit()
    {
        var file = _file ?? throw new ObjectDisposedException(nameof(WavStreamWriter));
        try
        {
            bool rf64 = _dataBytes > _maxRiffDataBytes;
            if (rf64) ShiftData(file, RiffHeaderBytes, Ds64Bytes, _dataBytes);
            file.Position = 0;
            file.Write(Header(rf64));
            file.Flush(flushToDisk: true);
            file.Dispose();
            File.Move(_tmp, _path, overwrite: true);
            _file = null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The header for the samples written so far: RIFF as NAudio writes it, or RF64 with 'ds64' first.</summary>
    private byte[] Header(bool rf64)
    {
        var h = new byte[RiffHeaderBytes + (rf64 ? Ds64Bytes : 0)];
        long frames = _dataBytes / (sizeof(float) * _channels);
        long riffSize = h.Length - 8 + _dataBytes;
        int p = 0;
        void Id(string id) { for (int i = 0; i < 4; i++) h[p++] = (byte)id[i]; }
        void U16(int v) { BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(p), (ushort)v); p += 2; }
        void U32(long v) { BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(p), (uint)v); p += 4; }
        void U64(long v) { BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(p), (ulong)v); p += 8; }

        Id(rf64 ? "RF64" : "RIFF"); U32(rf64 ? uint.MaxValue : riffSize); Id("WAVE");
        if (rf64)
        {
            Id("ds64"); U32(28);
            U64(riffSize); U64(_dataBytes); U64(frames); U32(0);   // RIFF size, data size, sample count, no table
        }
        Id("fmt "); U32(18);
        U16(3); U16(_channels); U32(_sampleRate); U32((long)_sampleRate * _channels * sizeof(float)); U16(_channels * sizeof(float)); U16(32); U16(0);
        Id("fact"); U32(4); U32(rf64 ? uint.MaxValue : frames);
        Id("data"); U32(rf64 ? uint.MaxValue : _dataBytes);
        return h;
    }

    /// <summary>Moves <paramref name="count"/> bytes at <paramref name="from"/> up by <paramref name="by"/>, last block first (in place).</summary>
    private static void ShiftData(FileStream file, long from, int by, long count)
    {
        var buf = new byte[Math.Min(count, 1 << 22)];
        for (long left = count; left > 0;)
        {
            int n = (int)Math.Min(buf.Length, left);
            long at = from + left - n;
            file.Position = at;
            file.ReadExactly(buf, 0, n);
            file.Position = at + by;
            file.Write(buf, 0, n);
            left -= n;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_file is null) return;
        _file.Dispose();
        _file = null;
        TempFile.Delete(_tmp);
    }
}
