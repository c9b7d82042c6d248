namespace Newtone.IO;

/// <summary>
/// Audio reading and writing: 16/24/32-bit PCM and 32-bit float WAV (RIFF or RF64, WAVE_FORMAT_EXTENSIBLE included)
/// and MP3 in, any sample rate and channel count; 32-bit float WAV out (RF64 past 4 GiB), written to a temporary file
/// and renamed into place.
/// </summary>
public static class WavFile
{
    /// <summary>Format facts of an audio file, read from its header (MP3: its frame headers).</summary>
    /// <param name="SampleRate">Hz.</param>
    /// <param name="Channels">Channel count.</param>
    /// <param name="BitsPerSample">Bits per sample (of the container when fewer bits are valid; 32 for MP3, decoded to float).</param>
    /// <param name="Encoding">"PCM", "PCM (20 valid bits in 24)", "IEEE float" or "MP3".</param>
    /// <param name="Frames">Samples per channel.</param>
    public readonly record struct Info(int SampleRate, int Channels, int BitsPerSample, string Encoding, long Frames)
    {
        /// <summary>Duration in seconds.</summary>
        public double Seconds => (double)Frames / SampleRate;
    }

    /// <summary>Reads the header of an audio file (for MP3, a scan of its frame headers gives the length).</summary>
    public static Info ReadInfo(string path)
    {
        using var reader = new WavStreamReader(path);
        return reader.Info;
    }

    /// <summary>Reads a whole audio file (WAV or MP3) and checks every sample is finite.</summary>
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
}
