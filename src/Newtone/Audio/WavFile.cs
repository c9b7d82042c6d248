using NAudio.Wave;

namespace Newtone.Audio;

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
        var f = reader.WaveFormat;
        return new Info(f.SampleRate, f.Channels, f.BitsPerSample, Describe(f), reader.Length / f.BlockAlign);
    }

    /// <summary>Reads a whole WAV file and checks every sample is finite.</summary>
    public static AudioBuffer Read(string path)
    {
        using var reader = Open(path);
        var format = reader.WaveFormat;
        int channels = format.Channels;
        long frames = reader.Length / format.BlockAlign;
        if (frames > int.MaxValue) throw new InputException($"{path}: too long ({frames} samples per channel)");
        var data = new float[channels][];
        for (int c = 0; c < channels; c++) data[c] = new float[frames];
        ISampleProvider provider;
        try
        {
            provider = reader.ToSampleProvider();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InputException($"{path}: unsupported WAV encoding ({Describe(format)}); use 16/24/32-bit PCM or 32-bit float", e);
        }
        var buffer = new float[8192 * channels];
        long pos = 0;
        while (pos < frames)
        {
            int want = (int)Math.Min(8192, frames - pos) * channels;
            int got = provider.Read(buffer.AsSpan(0, want));
            if (got <= 0) break;
            int n = got / channels;
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < channels; c++)
                {
                    float v = buffer[i * channels + c];
                    if (!float.IsFinite(v))
                        throw new InputException(FormattableString.Invariant(
                            $"{path}: sample {pos + i} of channel {c + 1} ({(pos + i) / (double)format.SampleRate:F3} s) is {(float.IsNaN(v) ? "NaN" : "infinite")}"));
                    data[c][pos + i] = v;
                }
            }
            pos += n;
        }
        if (pos < frames)
        {
            for (int c = 0; c < channels; c++) Array.Resize(ref data[c], (int)pos);
        }
        return new AudioBuffer(data, format.SampleRate);
    }

    /// <summary>Writes 32-bit float WAV atomically (temporary file, then rename).</summary>
    public static void WriteFloat(string path, AudioBuffer audio)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new WaveFileWriter(new NonClosingStream(stream), WaveFormat.CreateIeeeFloatWaveFormat(audio.SampleRate, audio.ChannelCount));
            int channels = audio.ChannelCount;
            var block = new float[4096 * channels];
            for (int start = 0; start < audio.Length; start += 4096)
            {
                int n = Math.Min(4096, audio.Length - start);
                for (int i = 0; i < n; i++)
                    for (int c = 0; c < channels; c++) block[i * channels + c] = audio.Channels[c][start + i];
                writer.WriteSamples(block, 0, n * channels);
            }
        });
    }

    private static WaveFileReader Open(string path)
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

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        protected override void Dispose(bool disposing) => Flush();
    }
}
