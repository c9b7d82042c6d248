using NAudio.Wave;

namespace Newtone.IO;

/// <summary>
/// WAV reading and writing (NAudio): 16/24/32-bit PCM and 32-bit float in, any sample rate and
/// channel count; 32-bit float out, written to a temporary file and renamed into place.
/// </summary>
public static class WavFile
{
    /// <summary>Format facts of a WAV file, read from its header only.</summary>
    /// <param name="SampleRate">Hz.</param>
    /// <param name="Channels">Channel count.</param>
    /// <param name="BitsPerSample">Bits per sample.</param>
    /// <param name="Encoding">PCM or IEEE float.</param>
    /// <param name="Frames">Samples per channel.</param>
    public readonly record struct Info(int SampleRate, int Channels, int BitsPerSample, string Encoding, long Frames)
    {
        /// <summary>Duration in seconds.</summary>
        public double Seconds => (double)Frames / SampleRate;
    }

    /// <summary>Reads the header of a WAV file.</summary>
    public static Info ReadInfo(string path)
    {
        using var reader = Open(path);
        return InfoOf(reader);
    }

    internal static Info InfoOf(WaveFileReader reader)
    {
        var f = reader.WaveFormat;
        return new Info(f.SampleRate, f.Channels, f.BitsPerSample, Describe(f), reader.Length / f.BlockAlign);
    }

    /// <summary>The reader's samples as floats; an encoding NAudio cannot convert is an error naming the file.</summary>
    internal static ISampleProvider Samples(WaveFileReader reader, string path)
    {
        try
        {
            return reader.ToSampleProvider();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InputException($"{path}: unsupported WAV encoding ({Describe(reader.WaveFormat)}); use 16/24/32-bit PCM or 32-bit float", e);
        }
    }

    /// <summary>Reads a whole WAV file and checks every sample is finite.</summary>
    public static AudioBuffer Read(string path)
    {
        using var reader = new WavStreamReader(path);
        long frames = reader.Info.Frames;
        if (frames > int.MaxValue) throw new InputException($"{path}: too long ({frames} samples per channel)");
        var data = new float[reader.Info.Channels][];
        for (int c = 0; c < data.Length; c++) data[c] = new float[frames];
        int pos = 0, n;
        while (pos < frames && (n = reader.Read(data, pos, (int)Math.Min(1 << 16, frames - pos))) > 0) pos += n;
        if (pos < frames)
        {
            for (int c = 0; c < data.Length; c++) Array.Resize(ref data[c], pos);
        }
        return new AudioBuffer(data, reader.Info.SampleRate);
    }

    /// <summary>Writes 32-bit float WAV atomically (temporary file, then rename).</summary>
    public static void WriteFloat(string path, AudioBuffer audio)
    {
        using var writer = new WavStreamWriter(path, audio.SampleRate, audio.ChannelCount);
        for (int start = 0; start < audio.Length; start += 1 << 16)
            writer.Write(audio.Channels, start, Math.Min(1 << 16, audio.Length - start));
        writer.Commit();
    }

    internal static WaveFileReader Open(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        Stream? stream = null;
        try
        {
            stream = File.OpenRead(path);
            var reader = new WaveFileReader(stream);
            var f = reader.WaveFormat;
            bool pcm = f.Encoding == WaveFormatEncoding.Pcm || (f.Encoding == WaveFormatEncoding.Extensible && f.BitsPerSample is 16 or 24 or 32 && !IsFloatExtensible(f));
            bool ieee = f.Encoding == WaveFormatEncoding.IeeeFloat || (f.Encoding == WaveFormatEncoding.Extensible && IsFloatExtensible(f));
            if (!((pcm && f.BitsPerSample is 16 or 24 or 32) || (ieee && f.BitsPerSample == 32)))
            {
                reader.Dispose();
                throw new InputException($"{path}: unsupported WAV encoding ({Describe(f)}); use 16/24/32-bit PCM or 32-bit float");
            }
            if (f.Channels < 1 || f.SampleRate < 1)
            {
                reader.Dispose();
                throw new InputException($"{path}: invalid WAV header ({f.Channels} channels at {f.SampleRate} Hz)");
            }
            return reader;
        }
        catch (InputException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            stream?.Dispose();
            throw new InputException($"{path}: not a readable WAV file ({e.Message.TrimEnd('.')})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new InputException($"{path}: cannot be read ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static bool IsFloatExtensible(WaveFormat f) =>
        f is WaveFormatExtensible ext && ext.SubFormat == new Guid("00000003-0000-0010-8000-00aa00389b71");

    private static string Describe(WaveFormat f) =>
        $"{f.Encoding}, {f.BitsPerSample}-bit, {f.Channels} ch, {f.SampleRate} Hz";
}
