using System.Buffers.Binary;

namespace Newtone.IO;

/// <summary>
/// The checked header of a WAV file (RIFF, or RF64/BW64 per EBU Tech 3306 with its <c>ds64</c> chunk): the sample
/// format and where the samples lie. <see cref="Parse"/> refuses, with one line naming the file, every header that
/// cannot be read exactly: a data chunk running past the end of the file, a block align that does not match the
/// channels and sample width, an absurd sample rate or channel count, valid bits wider than their container, and
/// encodings other than 16/24/32-bit PCM and 32-bit float.
/// </summary>
internal sealed class WavHeader
{
    /// <summary>Highest sample rate accepted (Hz): 32 × 48 kHz, beyond any converter.</summary>
    public const int MaxSampleRate = 1_536_000;

    /// <summary>Most channels accepted.</summary>
    public const int MaxChannels = 64;

    private const ushort TagPcm = 1, TagFloat = 3, TagExtensible = 0xFFFE;

    /// <summary>Sample rate (Hz).</summary>
    public required int SampleRate { get; init; }

    /// <summary>Channel count.</summary>
    public required int Channels { get; init; }

    /// <summary>Bits of each sample's container (16, 24 or 32).</summary>
    public required int ContainerBits { get; init; }

    /// <summary>Bits that carry the signal, left-justified in the container (at most <see cref="ContainerBits"/>).</summary>
    public required int ValidBits { get; init; }

    /// <summary>IEEE float (else integer PCM).</summary>
    public required bool IsFloat { get; init; }

    /// <summary>Bytes per frame.</summary>
    public int BlockAlign => Channels * ContainerBits / 8;

    /// <summary>Offset of the first sample.</summary>
    public required long DataOffset { get; init; }

    /// <summary>Bytes of samples.</summary>
    public required long DataBytes { get; init; }

    /// <summary>RF64 or BW64 (64-bit sizes).</summary>
    public required bool IsRf64 { get; init; }

    /// <summary>Samples per channel.</summary>
    public long Frames => DataBytes / BlockAlign;

    /// <summary>How the samples are coded, for <see cref="WavFile.Info.Encoding"/>.</summary>
    public string Encoding => IsFloat ? "IEEE float"
        : ValidBits < ContainerBits ? $"PCM ({ValidBits} valid bits in {ContainerBits})" : "PCM";

    /// <summary>Reads and checks the header of the WAV file open in <paramref name="s"/> (a seekable stream at any position).</summary>
    public static WavHeader Parse(Stream s, string path)
    {
        long fileLength = s.Length;
        var head = new byte[12];
        s.Position = 0;
        if (s.ReadAtLeast(head, 12, throwOnEndOfStream: false) < 12) throw AudioSniffer.NotAudio(path, "it is too short for a WAV file");
        string riff = AudioSniffer.Id(head, 0);
        bool rf64 = riff is "RF64" or "BW64";
        if (!(riff == "RIFF" || rf64) || AudioSniffer.Id(head, 8) != "WAVE") throw AudioSniffer.NotAudio(path, "it is not RIFF/RF64 WAVE");

        long pos = 12;
        long? ds64Data = null;
        byte[]? fmt = null;
        long dataOffset = -1, dataBytes = -1;
        var chunk = new byte[8];
        while (pos + 8 <= fileLength && (fmt is null || dataOffset < 0))
        {
            s.Position = pos;
            s.ReadExactly(chunk);
            string id = AudioSniffer.Id(chunk, 0);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            long body = pos + 8, after = fileLength - body;
            if (id == "data")
            {
                if (rf64 && size == uint.MaxValue)
                    size = ds64Data ?? throw new InputException($"{path}: an {riff} file without a 'ds64' chunk before its data (damaged file?)");
                if (size > after)
                    throw new InputException($"{path}: the data chunk claims {size} bytes but the file holds only {after} after the header (truncated file?)");
                dataOffset = body;
                dataBytes = size;
            }
            else
            {
                if (size > after)
                    throw new InputException($"{path}: the '{id}' chunk claims {size} bytes but the file holds only {after} after its header (truncated file?)");
                if (id == "ds64" && rf64)
                {
                    if (size < 24) throw new InputException($"{path}: the 'ds64' chunk is {size} bytes, too short for the 64-bit sizes (at least 24)");
                    var ds = new byte[24];
                    s.ReadExactly(ds);
                    ds64Data = BinaryPrimitives.ReadInt64LittleEndian(ds.AsSpan(8));
                    if (ds64Data < 0) throw new InputException($"{path}: the 'ds64' chunk's data size is negative (damaged file?)");
                }
                else if (id == "fmt " && fmt is null)
                {
                    if (size < 16) throw new InputException($"{path}: the 'fmt ' chunk is {size} bytes, too short (at least 16)");
                    fmt = new byte[Math.Min(size, 40)];
                    s.ReadExactly(fmt);
                }
            }
            pos = body + size + (size & 1);
        }
        if (fmt is null) throw new InputException($"{path}: a WAV file without a 'fmt ' chunk (damaged file?)");
        if (dataOffset < 0) throw new InputException($"{path}: a WAV file without a 'data' chunk (damaged file?)");
        return FromFormat(path, fmt, dataOffset, dataBytes, rf64);
    }

    private static WavHeader FromFormat(string path, byte[] fmt, long dataOffset, long dataBytes, bool rf64)
    {
        var f = fmt.AsSpan();
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(f[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);

        if (channels is < 1 or > MaxChannels)
            throw new InputException($"{path}: invalid WAV header: {channels} channels (Newtone reads 1 to {MaxChannels})");
        if (rate is < 1 or > MaxSampleRate)
            throw new InputException($"{path}: invalid WAV header: sample rate {rate} Hz (Newtone reads 1 to {MaxSampleRate} Hz)");

        ushort code = tag;
        int valid = 0;
        string what = TagName(tag, bits);
        if (tag == TagExtensible)
        {
            if (f.Length < 40)
                throw new InputException($"{path}: the WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {f.Length} bytes, too short (40)");
            valid = BinaryPrimitives.ReadUInt16LittleEndian(f[18..]);
            code = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]);
            // KSDATAFORMAT_SUBTYPE_xxx = 0000xxxx-0000-0010-8000-00AA00389B71: the format code, then a fixed tail.
            ReadOnlySpan<byte> tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            if (!f[26..40].SequenceEqual(tail))
                throw AudioSniffer.Refuse(path, $"unsupported WAV encoding (WAVE_FORMAT_EXTENSIBLE with sub-format {new Guid(f[24..40])})");
            what = "WAVE_FORMAT_EXTENSIBLE " + TagName(code, bits);
        }

        bool isFloat = code == TagFloat;
        if (code == TagPcm)
        {
            // Plain PCM of, say, 20 bits is stored left-justified in 24-bit containers.
            int container = (bits + 7) / 8 * 8;
            if (container is not (16 or 24 or 32)) throw AudioSniffer.Refuse(path, $"unsupported WAV encoding ({what})");
            if (tag == TagPcm) valid = bits;
            bits = container;
        }
        else if (!(isFloat && bits == 32)) throw AudioSniffer.Refuse(path, $"unsupported WAV encoding ({what})");

        if (blockAlign != channels * bits / 8)
            throw new InputException($"{path}: inconsistent WAV header: block align {blockAlign} for {channels} channel{(channels == 1 ? "" : "s")} of {bits}-bit samples (expected {channels * bits / 8})");
        if (valid == 0) valid = bits;
        if (valid > bits)
            throw new InputException($"{path}: invalid WAV header: {valid} valid bits in a {bits}-bit container");
        if (isFloat && valid != 32)
            throw AudioSniffer.Refuse(path, $"unsupported WAV encoding (32-bit float with {valid} valid bits)");
        if (dataBytes % blockAlign != 0)
            throw new InputException($"{path}: the data chunk holds {dataBytes} bytes, not a whole number of {blockAlign}-byte frames (damaged file?)");
        return new WavHeader
        {
            SampleRate = (int)rate, Channels = channels, ContainerBits = bits, ValidBits = valid, IsFloat = isFloat,
            DataOffset = dataOffset, DataBytes = dataBytes, IsRf64 = rf64,
        };
    }

    private static string TagName(ushort tag, int bits) => tag switch
    {
        TagPcm => $"{bits}-bit PCM",
        TagFloat => $"{bits}-bit IEEE float",
        2 => "Microsoft ADPCM",
        6 => "A-law",
        7 => "mu-law",
        0x11 => "IMA ADPCM",
        0x50 => "MPEG audio in WAV",
        0x55 => "MP3 in WAV",
        0xFF => "AAC in WAV",
        _ => $"format tag 0x{tag:X4}",
    };
}
