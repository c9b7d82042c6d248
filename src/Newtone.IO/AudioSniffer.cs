using System.Text;

namespace Newtone.IO;

/// <summary>
/// Tells an input's format from its first bytes (its magic), so that WAV and MP3 go to their readers and everything
/// else is refused with one line naming the file, what it is, and the formats that are read.
/// </summary>
internal static class AudioSniffer
{
    /// <summary>The formats Newtone reads, as the refusals list them.</summary>
    public const string Supported = "16/24/32-bit PCM or 32-bit float WAV (RIFF/RF64, WAVE_FORMAT_EXTENSIBLE included) or MP3";

    /// <summary>Bytes of the file's start that <see cref="IsMp3"/> looks at (fewer when the file is shorter).</summary>
    public const int HeadBytes = 64;

    /// <summary>
    /// True for MP3 (an ID3v2 tag or an MPEG audio frame at the start, or an <c>.mp3</c> name on content that is no other
    /// known format), false for WAV (RIFF, RF64 or BW64 of form WAVE); anything else is an <see cref="InputException"/>.
    /// </summary>
    public static bool IsMp3(string path, ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && (Is(head, 0, "RIFF") || Is(head, 0, "RF64") || Is(head, 0, "BW64")) && Is(head, 8, "WAVE")) return false;
        if (head.Length >= 3 && Is(head, 0, "ID3")) return true;
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            // MPEG audio frame sync: 11 set bits, then version (01 is reserved) and layer (00 is reserved, used by ADTS AAC).
            int version = (head[1] >> 3) & 3, layer = (head[1] >> 1) & 3;
            if (layer != 0 && version != 1) return true;
            if (layer == 0) throw NotAudio(path, "it is AAC in ADTS");
        }
        string? other = Describe(head);
        if (other is null && string.Equals(Path.GetExtension(path), ".mp3", StringComparison.OrdinalIgnoreCase)) return true;
        throw NotAudio(path, other ?? Unrecognised(head));
    }

    /// <summary>A refusal of an unsupported encoding: one line naming the file and listing the supported formats.</summary>
    public static InputException Refuse(string path, string what) => new($"{path}: {what}; Newtone reads {Supported}");

    /// <summary>A refusal of a file that is neither WAV nor MP3: one line naming the file, what it is, and the supported formats.</summary>
    public static InputException NotAudio(string path, string what) => Refuse(path, $"not a readable WAV or MP3 file ({what})");

    /// <summary>What a known non-WAV, non-MP3 file is, or null.</summary>
    private static string? Describe(ReadOnlySpan<byte> h)
    {
        if (h.Length == 0) return "it is empty";
        if (Is(h, 0, "fLaC")) return "it is FLAC";
        if (Is(h, 0, "OggS")) return "it is Ogg: Vorbis, Opus or FLAC";
        if (Is(h, 0, "FORM") && h.Length >= 12)
            return Is(h, 8, "AIFF") ? "it is AIFF" : Is(h, 8, "AIFC") ? "it is AIFF-C" : $"it is an IFF '{Id(h, 8)}' file";
        if (Is(h, 0, "FORM")) return "it is AIFF";
        if (Is(h, 0, "RIFX")) return "it is big-endian WAV (RIFX)";
        if (Is(h, 0, "RIFF") && h.Length >= 12) return $"it is a RIFF '{Id(h, 8)}' file";
        if (Is(h, 0, "RIFF") || Is(h, 0, "RF64")) return $"it is too short for a WAV file: {h.Length} bytes";
        if (Is(h, 0, "riff")) return "it is Sony Wave64";
        if (Is(h, 0, "caff")) return "it is Core Audio Format (CAF)";
        if (Is(h, 0, "wvpk")) return "it is WavPack";
        if (Is(h, 0, "MAC ")) return "it is Monkey's Audio (APE)";
        if (Is(h, 0, "TTA1")) return "it is TTA";
        if (Is(h, 0, ".snd")) return "it is Sun/NeXT audio (AU)";
        if (Is(h, 0, "#!AMR")) return "it is AMR";
        if (Is(h, 0, "MThd")) return "it is MIDI, not audio";
        if (h.Length >= 8 && Is(h, 4, "ftyp")) return "it is MP4/M4A: AAC or ALAC";
        if (h.Length >= 4 && h[0] == 0x30 && h[1] == 0x26 && h[2] == 0xB2 && h[3] == 0x75) return "it is WMA/ASF";
        if (h.Length >= 4 && h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3) return "it is Matroska/WebM";
        if (Is(h, 0, "PK\u0003\u0004")) return "it is a ZIP archive";
        if (Is(h, 0, "%PDF")) return "it is a PDF document";
        if (IsText(h)) return "it is text";
        return null;
    }

    private static string Unrecognised(ReadOnlySpan<byte> h) =>
        $"unrecognised content starting with bytes {Convert.ToHexString(h[..Math.Min(4, h.Length)])}";

    private static bool IsText(ReadOnlySpan<byte> h)
    {
        foreach (byte b in h)
            if (b is (< 0x20 and not (byte)'\t' and not (byte)'\n' and not (byte)'\r') or 0x7F) return false;
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> h, int at, string id)
    {
        if (h.Length < at + id.Length) return false;
        for (int i = 0; i < id.Length; i++)
            if (h[at + i] != id[i]) return false;
        return true;
    }

    /// <summary>A four-character code as printable text (other bytes as '?').</summary>
    public static string Id(ReadOnlySpan<byte> h, int at)
    {
        var sb = new StringBuilder(4);
        for (int i = at; i < at + 4 && i < h.Length; i++) sb.Append(h[i] is >= 0x20 and < 0x7F ? (char)h[i] : '?');
        return sb.ToString();
    }
}
