using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Newtone.IO;

/// <summary>
/// Decodes the samples of a checked <see cref="WavHeader"/>: 16/24/32-bit PCM scaled by the container's full scale
/// (so left-justified samples with fewer valid bits come out exactly), 32-bit float as it is.
/// </summary>
internal sealed class WavSampleSource : ISampleSource
{
    private readonly FileStream _stream;
    private readonly WavHeader _h;
    private readonly string _path;
    private readonly int _bytes;
    private readonly uint _padMask;
    private byte[] _raw = [];
    private long _frame;

    /// <summary>Takes over <paramref name="stream"/>.</summary>
    public WavSampleSource(FileStream stream, WavHeader header, string path)
    {
        _stream = stream;
        _h = header;
        _path = path;
        _bytes = header.ContainerBits / 8;
        // The container bits below the valid ones must be zero; other values mean right-justified or damaged samples.
        _padMask = header.IsFloat ? 0u : (uint)((1L << (header.ContainerBits - header.ValidBits)) - 1);
        Info = new WavFile.Info(header.SampleRate, header.Channels, header.ContainerBits, header.Encoding, header.Frames);
        _stream.Position = header.DataOffset;
    }

    /// <inheritdoc />
    public WavFile.Info Info { get; }

    /// <inheritdoc />
    public int Read(Span<float> interleaved)
    {
        int c = _h.Channels;
        int frames = (int)Math.Min(interleaved.Length / c, _h.Frames - _frame);
        if (frames <= 0) return 0;
        int samples = frames * c, byteCount = samples * _bytes;
        var dest = interleaved[..samples];
        if (_h.IsFloat && BitConverter.IsLittleEndian)
        {
            Fill(MemoryMarshal.AsBytes(dest));
        }
        else
        {
            if (_raw.Length < byteCount) _raw = new byte[byteCount];
            var raw = _raw.AsSpan(0, byteCount);
            Fill(raw);
            Decode(raw, dest);
        }
        _frame += frames;
        return frames;
    }

    private void Fill(Span<byte> into)
    {
        int got = _stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
        if (got < into.Length)
            throw new InputException($"{_path}: the file ended {_h.DataOffset + _frame * _h.BlockAlign + got} bytes in, before the end of its data chunk (was it changed while being read?)");
    }

    private void Decode(ReadOnlySpan<byte> raw, Span<float> dest)
    {
        uint pad = 0;
        switch (_h.ContainerBits)
        {
            case 16:
                var s16 = MemoryMarshal.Cast<byte, short>(raw);
                for (int i = 0; i < dest.Length; i++)
                {
                    short v = BitConverter.IsLittleEndian ? s16[i] : BinaryPrimitives.ReverseEndianness(s16[i]);
                    pad |= (ushort)v;
                    dest[i] = v / 32768f;
                }
                break;
            case 24:
                for (int i = 0; i < dest.Length; i++)
                {
                    int j = 3 * i;
                    int v = raw[j] | raw[j + 1] << 8 | (int)(sbyte)raw[j + 2] << 16;
                    pad |= (uint)v;
                    dest[i] = v / 8388608f;
                }
                break;
            case 32 when _h.IsFloat:
                for (int i = 0; i < dest.Length; i++) dest[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);   // big-endian hosts only
                break;
            default:
                var s32 = MemoryMarshal.Cast<byte, int>(raw);
                for (int i = 0; i < dest.Length; i++)
                {
                    int v = BitConverter.IsLittleEndian ? s32[i] : BinaryPrimitives.ReverseEndianness(s32[i]);
                    pad |= (uint)v;
                    dest[i] = v / 2147483648f;
                }
                break;
        }
        if ((pad & _padMask) != 0) ThrowPadding(raw);
    }

    private void ThrowPadding(ReadOnlySpan<byte> raw)
    {
        int c = _h.Channels;
        for (int i = 0; ; i++)
        {
            uint v = 0;
            for (int b = 0; b < _bytes; b++) v |= (uint)raw[i * _bytes + b] << (8 * b);
            if ((v & _padMask) == 0) continue;
            long frame = _frame + i / c;
            throw new InputException(FormattableString.Invariant(
                $"{_path}: sample {frame} of channel {i % c + 1} has bits set below its {_h.ValidBits} valid bits of {_h.ContainerBits} (right-justified or damaged samples?)"));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
