using System.Buffers.Binary;
using System.Text;
using NAudio.Wave;

namespace Newtone.Tests;

/// <summary>
/// Issue 9, bad input and faults: WAV headers are checked (truncated data, block align, absurd rates and channel counts,
/// valid bits in wider containers), RF64 is written past the RIFF limit and read back, MP3 is decoded, other formats are
/// refused by their magic, and outputs need a .wav name. The malformed files are written byte by byte here.
/// </summary>
public class WavHardeningTests
{
    private const string Supported = "16/24/32-bit PCM or 32-bit float WAV (RIFF/RF64, WAVE_FORMAT_EXTENSIBLE included) or MP3";

    // ---- header checks ---------------------------------------------------------------------------------------------

    [Fact]
    public void TruncatedDataChunkIsRefusedWithTheClaimedAndHeldSizes()
    {
        using var dir = new TempDir();
        string path = dir["cut.wav"];
        // 1000 bytes of 16-bit stereo samples, but the data chunk claims 4000.
        File.WriteAllBytes(path, Riff(Fmt(1, 2, 44100, 16), Chunk("data", new byte[1000], claimed: 4000)));
        string expected = $"{path}: the data chunk claims 4000 bytes but the file holds only 1000 after the header (truncated file?)";
        Assert.Equal(expected, Assert.Throws<InputException>(() => WavFile.Read(path)).Message);
        Assert.Equal(expected, Assert.Throws<InputException>(() => WavFile.ReadInfo(path)).Message);
        Assert.Equal(expected, Assert.Throws<InputException>(() => new WavStreamReader(path)).Message);
    }

    [Fact]
    public void AChunkBeforeTheDataThatRunsPastTheEndIsRefused()
    {
        using var dir = new TempDir();
        string path = dir["list.wav"];
        var bytes = Riff(Fmt(1, 1, 8000, 16), Chunk("LIST", new byte[10], claimed: 500));
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InputException>(() => WavFile.ReadInfo(path));
        Assert.StartsWith(path + ": the 'LIST' chunk claims 500 bytes", e.Message);
    }

    [Fact]
    public void DataThatIsNotWholeFramesIsRefused()
    {
        using var dir = new TempDir();
        string path = dir["odd.wav"];
        File.WriteAllBytes(path, Riff(Fmt(1, 2, 8000, 16), Chunk("data", new byte[10])));   // 2.5 frames of 4 bytes
        var e = Assert.Throws<InputException>(() => WavFile.Read(path));
        Assert.Equal($"{path}: the data chunk holds 10 bytes, not a whole number of 4-byte frames (damaged file?)", e.Message);
    }

    [Theory]
    [InlineData(2, 16, 6, 4)]
    [InlineData(1, 24, 4, 3)]
    [InlineData(3, 32, 4, 12)]
    [InlineData(2, 16, 0, 4)]
    public void BlockAlignThatDisagreesWithChannelsAndWidthIsRefused(int channels, int bits, int blockAlign, int expected)
    {
        using var dir = new TempDir();
        string path = dir["align.wav"];
        File.WriteAllBytes(path, Riff(Fmt(1, channels, 48000, bits, blockAlign), Chunk("data", new byte[expected * 10])));
        var e = Assert.Throws<InputException>(() => WavFile.Read(path));
        Assert.StartsWith(path + ": inconsistent WAV header: block align " + blockAlign, e.Message);
        Assert.EndsWith($"(expected {expected})", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(0, 1, "sample rate 0 Hz")]
    [InlineData(1_536_001, 1, "sample rate 1536001 Hz")]
    [InlineData(-1, 1, "sample rate 4294967295 Hz")]
    [InlineData(48000, 0, "0 channels")]
    [InlineData(48000, 65, "65 channels")]
    public void AbsurdSampleRatesAndChannelCountsAreRefused(int rate, int channels, string problem)
    {
        using var dir = new TempDir();
        string path = dir["absurd.wav"];
        File.WriteAllBytes(path, Riff(Fmt(1, channels, rate, 16, Math.Max(channels, 1) * 2), Chunk("data", new byte[Math.Max(channels, 1) * 2 * 4])));
        var e = Assert.Throws<InputException>(() => WavFile.ReadInfo(path));
        Assert.StartsWith(path + ": invalid WAV header: " + problem, e.Message);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1_536_000, 2)]
    [InlineData(8000, 64)]
    public void TheEdgesOfTheAcceptedRatesAndChannelCountsAreRead(int rate, int channels)
    {
        using var dir = new TempDir();
        string path = dir["edge.wav"];
        var data = new byte[channels * 2 * 3];
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan((2 * channels + channels - 1) * 2), -16384);   // frame 2, last channel
        File.WriteAllBytes(path, Riff(Fmt(1, channels, rate, 16), Chunk("data", data)));
        var audio = WavFile.Read(path);
        Assert.Equal(rate, audio.SampleRate);
        Assert.Equal(channels, audio.ChannelCount);
        Assert.Equal(3, audio.Length);
        Assert.Equal(-0.5f, audio.Channels[channels - 1][2]);
        Assert.Equal(0f, audio.Channels[0][1]);
    }

    [Fact]
    public void MissingFmtOrDataChunkIsRefused()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["nofmt.wav"], Riff(Chunk("data", new byte[8])));
        Assert.Equal($"{dir["nofmt.wav"]}: a WAV file without a 'fmt ' chunk (damaged file?)",
            Assert.Throws<InputException>(() => WavFile.ReadInfo(dir["nofmt.wav"])).Message);
        File.WriteAllBytes(dir["nodata.wav"], Riff(Fmt(1, 1, 8000, 16)));
        Assert.Equal($"{dir["nodata.wav"]}: a WAV file without a 'data' chunk (damaged file?)",
            Assert.Throws<InputException>(() => WavFile.ReadInfo(dir["nodata.wav"])).Message);
    }

    [Theory]
    [InlineData(1, 8, "8-bit PCM")]
    [InlineData(3, 64, "64-bit IEEE float")]
    [InlineData(6, 8, "A-law")]
    [InlineData(7, 8, "mu-law")]
    [InlineData(0x55, 16, "MP3 in WAV")]
    public void UnsupportedEncodingsNameTheFileTheEncodingAndWhatIsRead(int tag, int bits, string what)
    {
        using var dir = new TempDir();
        string path = dir["enc.wav"];
        File.WriteAllBytes(path, Riff(Fmt((ushort)tag, 1, 8000, bits), Chunk("data", new byte[bits / 8 * 4])));
        var e = Assert.Throws<InputException>(() => WavFile.Read(path));
        Assert.Equal($"{path}: unsupported WAV encoding ({what}); Newtone reads {Supported}", e.Message);
    }

    // ---- WAVE_FORMAT_EXTENSIBLE and valid bits ---------------------------------------------------------------------

    [Theory]
    [InlineData(24, 20)]
    [InlineData(32, 24)]
    [InlineData(16, 12)]
    [InlineData(24, 24)]
    [InlineData(32, 0)]   // 0: not given, so the container's
    public void ExtensibleWithFewerValidBitsDecodesToTheEncodedValues(int container, int valid)
    {
        using var dir = new TempDir();
        string path = dir["ext.wav"];
        int v = valid == 0 ? container : valid;
        long full = 1L << (v - 1);
        long[] values = [0, 1, -1, full - 1, -full, full / 3, -full / 7, 12345 % full, -(54321 % full)];
        // Two channels: the values and their negatives minus one, left-justified in the container.
        var samples = values.SelectMany(x => new[] { x, -x - 1 }).Select(x => x << (container - v)).ToArray();
        File.WriteAllBytes(path, Riff(FmtExtensible(2, 96000, container, valid, subFormat: 1), Chunk("data", Pcm(container, samples))));
        var info = WavFile.ReadInfo(path);
        Assert.Equal((96000, 2, container, (long)values.Length), (info.SampleRate, info.Channels, info.BitsPerSample, info.Frames));
        Assert.Equal(v < container ? $"PCM ({v} valid bits in {container})" : "PCM", info.Encoding);
        var audio = WavFile.Read(path);
        for (int i = 0; i < values.Length; i++)
        {
            // Every value here has at most 24 significant bits, so its float is exact: equality, not a tolerance.
            Assert.Equal((float)((double)values[i] / full), audio.Channels[0][i]);
            Assert.Equal((float)((double)(-values[i] - 1) / full), audio.Channels[1][i]);
        }
    }

    [Fact]
    public void RightJustifiedSamplesUnderAValidBitsFieldAreRefusedNotMisread()
    {
        using var dir = new TempDir();
        string path = dir["rj.wav"];
        // 20 valid bits in 24, but written right-justified (the low 4 bits carry signal): read as declared they would be
        // 24 dB too quiet, so the reader refuses instead.
        long[] samples = [0, 16, 32, 100001, -5];
        File.WriteAllBytes(path, Riff(FmtExtensible(1, 44100, 24, 20, subFormat: 1), Chunk("data", Pcm(24, samples))));
        var e = Assert.Throws<InputException>(() => WavFile.Read(path));
        Assert.Equal($"{path}: sample 3 of channel 1 has bits set below its 20 valid bits of 24 (right-justified or damaged samples?)", e.Message);
    }

    [Fact]
    public void ValidBitsWiderThanTheContainerAreRefused()
    {
        using var dir = new TempDir();
        string path = dir["wide.wav"];
        File.WriteAllBytes(path, Riff(FmtExtensible(1, 44100, 16, 20, subFormat: 1), Chunk("data", new byte[8])));
        Assert.Equal($"{path}: invalid WAV header: 20 valid bits in a 16-bit container",
            Assert.Throws<InputException>(() => WavFile.ReadInfo(path)).Message);
    }

    [Fact]
    public void ExtensibleFloatIsReadAndUnknownSubFormatsAreRefused()
    {
        using var dir = new TempDir();
        string path = dir["extf.wav"];
        float[] x = [0.25f, -1.5f, 1e-7f, 0.75f];
        File.WriteAllBytes(path, Riff(FmtExtensible(1, 22050, 32, 32, subFormat: 3), Chunk("data", x.SelectMany(BitConverter.GetBytes).ToArray())));
        Assert.Equal(x, WavFile.Read(path).Channels[0]);

        var fmt = FmtExtensible(1, 22050, 32, 32, subFormat: 3);
        fmt[8 + 24 + 10] ^= 0xFF;   // a different GUID tail: not a KSDATAFORMAT_SUBTYPE of the WAVE family
        File.WriteAllBytes(path, Riff(fmt, Chunk("data", new byte[16])));
        var e = Assert.Throws<InputException>(() => WavFile.ReadInfo(path));
        Assert.StartsWith(path + ": unsupported WAV encoding (WAVE_FORMAT_EXTENSIBLE with sub-format ", e.Message);
        Assert.EndsWith(Supported, e.Message);
    }

    [Fact]
    public void OtherChunksOddSizesAndDataBeforeFmtAreWalkedPast()
    {
        using var dir = new TempDir();
        string path = dir["chunks.wav"];
        long[] s = [1000, -2000, 3000, -32768, 32767];
        // A JUNK chunk first, an odd-sized LIST chunk (with its pad byte), 'data' before 'fmt ', a trailing chunk.
        File.WriteAllBytes(path, Riff(Chunk("JUNK", new byte[28]), Chunk("LIST", new byte[7]), Chunk("data", Pcm(16, s)),
            Fmt(1, 1, 32000, 16), Chunk("cue ", new byte[4])));
        var audio = WavFile.Read(path);
        Assert.Equal(s.Select(v => v / 32768f), audio.Channels[0]);
    }

    // ---- other formats ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("song.flac", "fLaC\0\0\0\"", "it is FLAC")]
    [InlineData("song.ogg", "OggS\0\u0002\0\0", "it is Ogg: Vorbis, Opus or FLAC")]
    [InlineData("song.aiff", "FORM\0\0\0\u0040AIFFCOMM", "it is AIFF")]
    [InlineData("song.wav", "FORM\0\0\0\u0040AIFCFVER", "it is AIFF-C")]
    [InlineData("notes.wav", "this is not audio, just text\n", "it is text")]
    [InlineData("empty.wav", "", "it is empty")]
    [InlineData("movie.wav", "RIFF\u0010\0\0\0AVI LIST", "it is a RIFF 'AVI ' file")]
    [InlineData("song.m4a", "\0\0\0\u0020ftypM4A ", "it is MP4/M4A: AAC or ALAC")]
    [InlineData("song.wav", "\u00ff\u00f1\u0050\u0080\0\u001f\u00fc", "it is AAC in ADTS")]
    [InlineData("blob.wav", "\u0001\u0002\u0003\u0004\u0005", "unrecognised content starting with bytes 01020304")]
    public void OtherFormatsAreRefusedByTheirMagicWithTheSupportedOnes(string name, string content, string what)
    {
        using var dir = new TempDir();
        string path = dir[name];
        File.WriteAllBytes(path, content.Select(c => (byte)c).ToArray());
        var e = Assert.Throws<InputException>(() => WavFile.Read(path));
        Assert.Equal($"{path}: not a readable WAV or MP3 file ({what}); Newtone reads {Supported}", e.Message);
        Assert.Equal(e.Message, Assert.Throws<InputException>(() => WavFile.ReadInfo(path)).Message);
    }

    [Fact]
    public void AFolderOrAMissingFileIsOneLine()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["folder.wav"]);
        Assert.Equal($"{dir["folder.wav"]}: is a folder, not an audio file", Assert.Throws<InputException>(() => WavFile.Read(dir["folder.wav"])).Message);
        Assert.Equal($"{dir["gone.wav"]}: file not found", Assert.Throws<InputException>(() => WavFile.Read(dir["gone.wav"])).Message);
    }

    // ---- RF64 and the writer ---------------------------------------------------------------------------------------

    [Fact]
    public void SmallFilesAreRiffByteForByteAsNAudioWritesThem()
    {
        using var dir = new TempDir();
        var rng = new Random(9);
        var a = new AudioBuffer([.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 1001).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray())], 44100);
        WavFile.WriteFloat(dir["ours.wav"], a);
        using (var w = new WaveFileWriter(dir["naudio.wav"], WaveFormat.CreateIeeeFloatWaveFormat(44100, 3)))
        {
            var inter = new float[a.Length * 3];
            for (int i = 0; i < a.Length; i++)
                for (int c = 0; c < 3; c++) inter[i * 3 + c] = a.Channels[c][i];
            w.WriteSamples(inter, 0, inter.Length);
        }
        var ours = File.ReadAllBytes(dir["ours.wav"]);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(ours, 0, 4));
        Assert.Equal(File.ReadAllBytes(dir["naudio.wav"]), ours);
    }

    [Fact]
    public void WriterTurnsToRf64PastTheRiffLimitAndTheReaderReadsItBack()
    {
        using var dir = new TempDir();
        const int frames = 3000, channels = 2;
        var x = new float[channels][];
        for (int c = 0; c < channels; c++) x[c] = Enumerable.Range(0, frames).Select(i => MathF.Sin(0.01f * i * (c + 1)) * 0.5f).ToArray();
        long dataBytes = frames * channels * 4L;

        // At the limit: plain RIFF. One byte below it: RF64, with the ds64 sizes and 0xFFFFFFFF in the 32-bit fields.
        Write(dir["riff.wav"], x, maxRiffDataBytes: dataBytes);
        Write(dir["rf64.wav"], x, maxRiffDataBytes: dataBytes - 1);
        var riff = File.ReadAllBytes(dir["riff.wav"]);
        var rf = File.ReadAllBytes(dir["rf64.wav"]);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(riff, 0, 4));
        Assert.Equal(58 + dataBytes, riff.Length);
        Assert.Equal(94 + dataBytes, rf.Length);

        Assert.Equal("RF64", Encoding.ASCII.GetString(rf, 0, 4));
        Assert.Equal(uint.MaxValue, U32(rf, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(rf, 8, 4));
        Assert.Equal("ds64", Encoding.ASCII.GetString(rf, 12, 4));
        Assert.Equal(28u, U32(rf, 16));
        Assert.Equal(rf.Length - 8L, BinaryPrimitives.ReadInt64LittleEndian(rf.AsSpan(20)));   // RIFF size
        Assert.Equal(dataBytes, BinaryPrimitives.ReadInt64LittleEndian(rf.AsSpan(28)));        // data size
        Assert.Equal(frames, BinaryPrimitives.ReadInt64LittleEndian(rf.AsSpan(36)));           // sample count
        Assert.Equal(0u, U32(rf, 44));                                                          // no table
        // After ds64 the RIFF file's own chunks, the 32-bit counts set to 0xFFFFFFFF.
        Assert.Equal(riff.AsSpan(12, 26).ToArray(), rf.AsSpan(48, 26).ToArray());              // 'fmt ' unchanged
        Assert.Equal("fact", Encoding.ASCII.GetString(rf, 74, 4));
        Assert.Equal(uint.MaxValue, U32(rf, 82));
        Assert.Equal("data", Encoding.ASCII.GetString(rf, 86, 4));
        Assert.Equal(uint.MaxValue, U32(rf, 90));
        Assert.Equal(riff.AsSpan(58).ToArray(), rf.AsSpan(94).ToArray());                      // the same samples

        foreach (var name in new[] { "riff.wav", "rf64.wav" })
        {
            var info = WavFile.ReadInfo(dir[name]);
            Assert.Equal((48000, channels, (long)frames), (info.SampleRate, info.Channels, info.Frames));
            var back = WavFile.Read(dir[name]);
            for (int c = 0; c < channels; c++) Assert.Equal(x[c], back.Channels[c]);
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Rf64ShiftIsRightAcrossManyCopyBlocks()
    {
        // More than one 4 MiB block of samples to move up for the ds64 chunk, with a limit of 0: every file is RF64.
        using var dir = new TempDir();
        const int frames = 1_300_000;
        var x = Enumerable.Range(0, frames).Select(i => (float)((i * 2654435761L % 1000003) / 1000003.0 - 0.5)).ToArray();
        Write(dir["big.wav"], [x], maxRiffDataBytes: 0);
        var head = File.ReadAllBytes(dir["big.wav"]).AsSpan(0, 94).ToArray();
        Assert.Equal("RF64", Encoding.ASCII.GetString(head, 0, 4));
        Assert.Equal(frames * 4L, BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(28)));
        using var r = new WavStreamReader(dir["big.wav"]);
        Assert.Equal(frames, r.Info.Frames);
        var back = new float[frames + 10];
        int got = 0, n;
        while ((n = r.ReadInterleaved(back.AsSpan(got, Math.Min(77777, back.Length - got)))) > 0) got += n;
        Assert.Equal(frames, got);
        Assert.Equal(x, back[..frames]);
    }

    [Fact]
    public void Rf64FromAnotherWriterIsRead()
    {
        // An RF64 file as other tools write it: 24-bit PCM, ds64 with a table entry, a JUNK chunk, 'data' size 0xFFFFFFFF.
        using var dir = new TempDir();
        string path = dir["other.wav"];
        long[] s = [0, 4194304, -8388608, 8388607, -1, 77];
        var data = Pcm(24, s);
        var ds64 = new byte[28 + 12];
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(0), 0);   // RIFF size: readers take the data size below
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(8), data.Length);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(16), s.Length / 2);
        BinaryPrimitives.WriteUInt32LittleEndian(ds64.AsSpan(24), 1);
        Encoding.ASCII.GetBytes("axml").CopyTo(ds64, 28);
        var body = Concat(Encoding.ASCII.GetBytes("WAVE"), Chunk("ds64", ds64), Fmt(1, 2, 88200, 24), Chunk("JUNK", new byte[9]),
            Chunk("data", data, claimed: uint.MaxValue));
        File.WriteAllBytes(path, Concat(Encoding.ASCII.GetBytes("RF64"), [0xFF, 0xFF, 0xFF, 0xFF], body));
        var audio = WavFile.Read(path);
        Assert.Equal((88200, 2, 3), (audio.SampleRate, audio.ChannelCount, audio.Length));
        for (int i = 0; i < s.Length; i++) Assert.Equal(s[i] / 8388608f, audio.Channels[i % 2][i / 2]);

        // Without the ds64 chunk the 0xFFFFFFFF size means nothing: refused.
        File.WriteAllBytes(path, Concat(Encoding.ASCII.GetBytes("RF64"), [0xFF, 0xFF, 0xFF, 0xFF], Encoding.ASCII.GetBytes("WAVE"),
            Fmt(1, 2, 88200, 24), Chunk("data", data, claimed: uint.MaxValue)));
        Assert.Equal($"{path}: an RF64 file without a 'ds64' chunk before its data (damaged file?)",
            Assert.Throws<InputException>(() => WavFile.ReadInfo(path)).Message);
    }

    [Theory]
    [InlineData("out.mp3")]
    [InlineData("out")]
    [InlineData("sub/out.flac")]
    [InlineData("out.wav.tmp")]
    public void OutputsWithoutAWavNameAreRefusedBeforeAnythingIsCreated(string name)
    {
        using var dir = new TempDir();
        string path = dir[name];
        var e = Assert.Throws<InputException>(() => new WavStreamWriter(path, 48000, 1));
        Assert.Equal($"{path}: Newtone writes WAV files; give the output a .wav name", e.Message);
        Assert.Throws<InputException>(() => WavFile.WriteFloat(path, new AudioBuffer(new float[10], 48000)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AnUpperCaseWavNameIsAccepted()
    {
        using var dir = new TempDir();
        WavFile.WriteFloat(dir["LOUD.WAV"], new AudioBuffer([0.5f, -0.5f], 8000));
        Assert.Equal([0.5f, -0.5f], WavFile.Read(dir["LOUD.WAV"]).Channels[0]);
    }

    [Fact]
    public void AnUncommittedWriterLeavesNothing()
    {
        using var dir = new TempDir();
        using (var w = new WavStreamWriter(dir["never.wav"], 8000, 2))
            w.WriteInterleaved([0.1f, 0.2f, 0.3f, 0.4f]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    // ---- MP3 -------------------------------------------------------------------------------------------------------

    [Fact]
    public void Mp3DecodesToTheStereoSignalItWasEncodedFrom()
    {
        using var dir = new TempDir();
        string path = dir["clip.mp3"];
        File.WriteAllBytes(path, Convert.FromBase64String(ClipMp3));
        var info = WavFile.ReadInfo(path);
        Assert.Equal((16000, 2, "MP3"), (info.SampleRate, info.Channels, info.Encoding));
        var audio = WavFile.Read(path);
        Assert.Equal(info.Frames, audio.Length);
        var (left, right) = Clip(16000, 6400);
        // LAME's gapless header (encoder delay and padding) is honoured: the decoded length is the source's.
        Assert.Equal(left.Length, audio.Length);
        AssertMatches(left, audio.Channels[0], "left");
        AssertMatches(right, audio.Channels[1], "right");
        // The channels are not swapped: each is unlike the other's source.
        Assert.True(Math.Abs(Correlation(left, audio.Channels[1], 0)) < 0.3);

        // The content decides, not the name: the same bytes called .wav are read as MP3.
        File.Copy(path, dir["clip.wav"]);
        Assert.Equal(audio.Channels[1], WavFile.Read(dir["clip.wav"]).Channels[1]);
    }

    [Fact]
    public void TruncatedOrGarbledMp3IsOneLine()
    {
        using var dir = new TempDir();
        var bytes = Convert.FromBase64String(ClipMp3);
        // Half the frames are gone, but the LAME header still announces the whole length.
        File.WriteAllBytes(dir["half.mp3"], bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputException>(() => WavFile.Read(dir["half.mp3"]));
        Assert.StartsWith(dir["half.mp3"] + ": the MP3 stream ended after ", e.Message);
        Assert.EndsWith("of the 6400 samples per channel its frames announce (truncated or damaged file?)", e.Message);

        File.WriteAllBytes(dir["zeros.mp3"], new byte[4096]);
        var z = Assert.Throws<InputException>(() => WavFile.ReadInfo(dir["zeros.mp3"]));
        Assert.Equal($"{dir["zeros.mp3"]}: not a readable MP3 file (no MPEG audio frames found); Newtone reads {Supported}", z.Message);
        Assert.DoesNotContain('\n', z.Message);
    }

    [LameFact]
    public void LameEncodedMp3MatchesItsSourceAt44100Stereo()
    {
        using var dir = new TempDir();
        const int sr = 44100, n = 44100;
        var (left, right) = Clip(sr, n);
        var pcm = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            pcm[2 * i] = (long)Math.Round(left[i] * 32767);
            pcm[2 * i + 1] = (long)Math.Round(right[i] * 32767);
        }
        File.WriteAllBytes(dir["src.wav"], Riff(Fmt(1, 2, sr, 16), Chunk("data", Pcm(16, pcm))));
        var psi = new System.Diagnostics.ProcessStartInfo("lame", ["--quiet", "-b", "192", "-m", "s", "src.wav", "src.mp3"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardError = true,
        };
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            string err = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "lame did not finish");
            Assert.True(p.ExitCode == 0, "lame failed: " + err);
        }
        var info = WavFile.ReadInfo(dir["src.mp3"]);
        Assert.Equal((sr, 2), (info.SampleRate, info.Channels));
        var audio = WavFile.Read(dir["src.mp3"]);
        Assert.Equal(info.Frames, audio.Length);
        AssertMatches(left, audio.Channels[0], "left");
        AssertMatches(right, audio.Channels[1], "right");
    }

    // ---- the command line ------------------------------------------------------------------------------------------

    [Fact]
    public void ProcessRefusesAMalformedInputWithOneLineAndWritesNothing()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["bad.wav"], Riff(Fmt(1, 2, 44100, 16), Chunk("data", new byte[4000], claimed: 400_000)));
        var (exit, _, err) = Cli.Run(dir.Path, "process", "bad.wav", "out.wav", "--peak-reduction", "60", "--mode", "compress");
        Assert.Equal(2, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains("bad.wav", lines[0]);
        Assert.Contains("the data chunk claims 400000 bytes but the file holds only 4000", lines[0]);
        Assert.False(File.Exists(dir["out.wav"]));
        Assert.Empty(Directory.GetFiles(dir.Path, ".out.wav.*.tmp"));
    }

    [Fact]
    public void ProcessAcceptsAnMp3InputAndWritesWav()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["clip.mp3"], Convert.FromBase64String(ClipMp3));
        var (exit, _, err) = Cli.Run(dir.Path, "process", "clip.mp3", "out.wav", "--peak-reduction", "60", "--mode", "compress");
        Assert.True(exit == 0, err);
        var info = WavFile.ReadInfo(dir["out.wav"]);
        Assert.Equal((16000, 2, 6400L, "IEEE float"), (info.SampleRate, info.Channels, info.Frames, info.Encoding));
    }

    // ---- helpers: a RIFF writer of our own, signals, comparison ----------------------------------------------------

    private static void Write(string path, float[][] x, long maxRiffDataBytes)
    {
        using var w = new WavStreamWriter(path, 48000, x.Length, maxRiffDataBytes);
        for (int start = 0; start < x[0].Length; start += 1000) w.Write(x, start, Math.Min(1000, x[0].Length - start));
        w.Commit();
    }

    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A chunk: id, size (the true one unless <paramref name="claimed"/>), body, pad byte when odd.</summary>
    private static byte[] Chunk(string id, byte[] body, uint? claimed = null)
    {
        var b = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), claimed ?? (uint)body.Length);
        body.CopyTo(b, 8);
        return b;
    }

    private static byte[] Riff(params byte[][] chunks)
    {
        var body = Concat([Encoding.ASCII.GetBytes("WAVE"), .. chunks]);
        var head = new byte[8];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(head, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), (uint)body.Length);
        return Concat(head, body);
    }

    /// <summary>A 16-byte 'fmt ' chunk (WAVEFORMAT), block align as given or consistent.</summary>
    private static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        var f = new byte[16];
        int align = blockAlign ?? channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(0), tag);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), rate * align);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)bits);
        return Chunk("fmt ", f);
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk with KSDATAFORMAT_SUBTYPE <paramref name="subFormat"/> (1 PCM, 3 float).</summary>
    private static byte[] FmtExtensible(int channels, int rate, int containerBits, int validBits, ushort subFormat)
    {
        var f = new byte[40];
        int align = channels * containerBits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(0), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), rate * align);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)containerBits);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), channels == 2 ? 3u : 0u);
        new Guid($"{subFormat:x8}-0000-0010-8000-00aa00389b71").TryWriteBytes(f.AsSpan(24));
        return Chunk("fmt ", f);
    }

    /// <summary>Little-endian two's-complement integers of <paramref name="bits"/> bits.</summary>
    private static byte[] Pcm(int bits, long[] samples)
    {
        int w = bits / 8;
        var b = new byte[samples.Length * w];
        for (int i = 0; i < samples.Length; i++)
            for (int k = 0; k < w; k++) b[i * w + k] = (byte)(samples[i] >> (8 * k));
        return b;
    }

    /// <summary>The test music: two chirps under slow tremolo, different in each channel.</summary>
    private static (float[] Left, float[] Right) Clip(int sampleRate, int frames)
    {
        var l = new float[frames];
        var r = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / sampleRate;
            l[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (200 * t + 300 * t * t)) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)));
            r[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (700 * t - 400 * t * t) + 0.5) * (0.7 + 0.3 * Math.Cos(2 * Math.PI * 5 * t)));
        }
        return (l, r);
    }

    /// <summary>Correlation of <paramref name="source"/> with <paramref name="decoded"/> shifted by <paramref name="lag"/>, edges left out.</summary>
    private static double Correlation(float[] source, float[] decoded, int lag)
    {
        double sxy = 0, sxx = 0, syy = 0;
        int edge = source.Length / 10;
        for (int i = edge; i < source.Length - edge; i++)
        {
            int j = i + lag;
            if (j < 0 || j >= decoded.Length) continue;
            sxy += source[i] * decoded[j];
            sxx += source[i] * source[i];
            syy += decoded[j] * decoded[j];
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Correlation above 0.99 at the best lag within ±2000 samples (whatever delay the codec left), RMS within 1 dB.</summary>
    private static void AssertMatches(float[] source, float[] decoded, string channel)
    {
        int best = Enumerable.Range(-2000, 4001).MaxBy(lag => Correlation(source, decoded, lag));
        double c = Correlation(source, decoded, best);
        Assert.True(c > 0.99, $"{channel}: correlation {c:F4} at lag {best}");
        int edge = source.Length / 10;
        double es = 0, ed = 0;
        for (int i = edge; i < source.Length - edge; i++)
        {
            es += source[i] * source[i];
            int j = i + best;
            if (j >= 0 && j < decoded.Length) ed += decoded[j] * decoded[j];
        }
        double db = 10 * Math.Log10(ed / es);
        Assert.True(Math.Abs(db) < 1, $"{channel}: RMS differs by {db:F2} dB");
    }

    /// <summary>
    /// clip.mp3: <see cref="Clip"/>(16000, 6400) as 16-bit stereo, encoded by LAME 3.100 (<c>lame -b 48 -m s</c>,
    /// MPEG-2 Layer III with its gapless header). Decoding is what is tested; no encoder is needed to run it.
    /// </summary>
    private const string ClipMp3 = """
        //NoBAAAAAAAAAAAAAAAAAAAAAAASW5mbwAAAA8AAAAOAAAMqAASEhISEhISJCQkJCQkJDY2NjY2NjZJSUlJSUlJW1tbW1tbW21tbW1tbW2AgICAgICA
        kpKSkpKSkpKkpKSkpKSktra2tra2tsnJycnJycnb29vb29vb7e3t7e3t7f////////8AAAA5TEFNRTMuMTAwAUsAAAAALkYAABQwJARAJgAAMAAADKia
        q1xOAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA//NoBAAKoBtij6MMARH4gsAfRkgABScl+22H55MmTtjCBABkyaYPg+UBAEAx
        g+Hw/ghy5/lDhcMcv5zgN+kMcBv4Y5f3dPu///5cHwfB8HwQBAEAQBMHwfB8PggCAIAgAwfB8H4ABAEOH05KMOLu7u7vYiIiIiLPJk09ggAATDYrRtg+
        D4IAgCHB8Hw+MBAEAQAYPg+fD4IAgCAIJB8H3/g+D4fuBB3//cCBz///+IAx2jCAH9AGAwIBQIBQMBgE9kKuNz3KD3TCwAYA4aLbdgSAWmLfQKjr//No
        BCYNQJ9tL8y0gRqJPpQBjagAEgIKAiQCr+O4YYYYm/49R6mReL3/mI9R6mReL3/5NHqPUyLxJGP8FREFQVZ/lgqCoiCoKs/+WCoKiJ53//+1VpZoSBoO
        UE+8C6C2+CsgAl8PaACC4G9yuJUAk8hMxCkgDCuAdwQQioLngyMOSHrh4D8LajRxzRlSaJ4gX/mJdJlJIvf/oomKSRkj/BURBUFWf5YKgqIgqVZ/+FSr
        AqVEQV//4KiIKgqIgqCoiCoK1UXDAKwFYwJEDMMDVAcDAcAXEwr4//NoBBQL5C0QAO+AABZQniAB3+gARxMZeInzMUmf8/fx9ANQlMVzDYwNAw6IMBME
        cAyTBQAMcwEkBuMAJAEjARwBgwAoATAwAUWditFt/3f//+vs//+Z//67dX0/6fV0/////////60U9QUAOmAKgBRgDoBoYAsBAmA0ALJgwgS6YiaOMmpO
        tTZqqBd2Y80KnmHaBfZvnERwG1xqijRlqEBMBxdUuK9rhRW5at//////X/////////HqFA2YOIRjU5mYloafkZv77GDmiApiXRIwa+371HGV//NoBB4K
        3C0MAHP8Eg/geoZeDraiw9hi8w5KYbGD2HYnmbBRhnQpmRRYYgBo8AlkpjNdtZ////7sW3fT/V/2XL7f/3+iz7tv+2ujRRoV/6AAJ/////1s988ZGK1L
        WhmQmHPFRqYYibDEbp7F86j93n91d/oR0f/PXoanVo8xs/tqus1KTdd9P9XfT7PENXfQcMKDMsSNipPNIMEDAwTDUBQYRn8htqnv2Y36ENGLbhfZ5mMa
        +hmbChj4KAiABA6Q7OI2c/+z////p9dX0f/s//UM///+n//R//NoBEoJPCsQAGv7EhOYfk7+DnxILCAAAP9tv9v1j9b1doI6KnHdEKrgkQBAbGDQCgYk
        ZrZp2k/GFoBoYNIFAoAGtBrcPyCexvu7F/7NbPu++xcr+/RV/0f9/+r79/6/7dv61S9wiBRUSFCsEqxkWGYIqBzmDHihpjiQmCY3IqSnWNQGZtx5aGdk
        zoa5IiZnksY9CqYhhALBCOgAWlTqivbr///6v9H0//92v6/R2/s//XRZ9//+v+9LndZSmUSAGVQSLAWigFGVFmn7domPqNGFzhJ5jgSo//NoBHQKJC0O
        AG/9EhRQfhwA7/qg8bZo7AmN1Cf568cpkiKBggDZKASc7L3NgazIs+mzut2/7v/r1f/b/////su//SppqjI8AgkEYkKBimKRuwyJpUzhwKmxgUokIZJ6
        b5HDcv+xmzwUsYK2AvhgGCdYQQyuJ8WtRnVL+mbt/bRr/79O6nT7m/u66U/zv/b1fR//T/VvrwtzsRZ4nuXMAIAGYAsAQgwEQME3EwjEWAPwyKVeLN6B
        oJDQByaYxQMA4OtC80OBhI8jw3CAQnIz+PHdX7Faf/////NoBJQKWC0MAHf5IhMgehwAB/gw/////t///3ch//pqlsWflgxaEzkYM9dz/G88WaMDhBbj
        A7BGUxu4vpNtsGWDD6AzgwMgEPPX8NU3BoRHEIHIivN19P//2+zuzP/bV//tX9nX/9X///7Otv///9qHWvKBICRCDAwZMDODHoswGMGSMAyCeTFN0PU3
        459dM9aJgzEigE4wXUAmOkFzVwQMXSsVDgBWxssqO///0///7Pp/2///////XUxBTUUzLjEwMFVVVVVV/8KdwDGJCMHhswUDkJ4K//NoBLcJhC0OAG/6
        IhNgeiAA3/aEDBk04nVKoZFanbGljD8Bi1QWkbj8mDNBh5SAicaOBYnBQIA/X//TZ///+v///stX/9n9P//9/5bFhDbgEgICATBMTBIjghQgGFomYHCE
        5GNTHVxujCmiYomNUGKFgcJghQDeYEWAmHOWmtLGWDhgpTz4OzLhn//+/+r/Xu////d/d///9VdSTEFNRTMuMTAwqqqqqqqqqqqqqsAAAN/9/9tr+//U
        POCpUhJMEDMiQNVDMGkaQ0S2Oje0PEMRYH8wZQBA//NoBNIIrC0OAHP7MBQQehwAr/SEgDQREERwSIBYrnpDos7SFH71NclHv0s5fM9/2q9/v939e7VR
        /+VZ3/9UAef//UctOhVxCGMCpNBYMBHArzAgAZgwGMTrMl7QWzeTQaowS4WYMLIC9DEIQBowF0BLMACAUDUlMs4simNDtNFZ53XMLV39XX92//pK+j/X
        /r93k/16te3/7P6KTEFNRTMuMTAwqqqqqqqqqqqqqqqqqqqqqqqqqv//45Bd8wAEQlmBAhmaWbRoGBjhW5iIQwIY6z2om6Om//NoBOwKVC8lL2vYMhc4
        ehjA1/Jo+5iaoNoYOAA2GYHsZwoJ7eNmi0gDAmXWXK+1Xtnvp+j/6v7v/0f/+r////9///f6YAAABXI7HG3/7/5I1VJYvaAgRBwdDxAmR4Wmu03Gjx1n
        VdIwah4eRhlAeipka51ntHxlQYrl1orPDG4t1fuQW3/qqSvxdDu1G3+vsj/1Ndv/+r/7P//XIABttttttH7zf+X5Yc+pSSiQQskZgW4aQQmpKnYgSWSz
        m8+k/E3ELEPJexFsMiKXwnBODQVDeh6jhHOa//NoBOMKCD0OAG/8MhWoajZe77aAZ1qOO2KxklTiGKBk0/V7+RPqNXv7QHkTKsVjJEzDfx8K9Xv74gPI
        l2BkeazDf3o/fx94pE1d48iaze+6P39/SlNZePKe977w/j39KU1mBQwPHwx+AAyAODz4Y/AA6AODz4Z+AjoB4f+Z+DvEeP/N/FKAAv/////9/dXs8d/O
        wfEBOBUALqE/3+/Smvw1A4Gg/ydk7QuMnCdmW7UhyIYrKq80FBMxp9Rs+2BD1HO8ViseafoYyahq9nf7eK9n3AePImoa//NoBP8VgSVW3608AasyStJf
        T3gDsZNQ37+PuAr3+4Dx5E1DePNQ37++6P4+6PHlPd5E1d/Hv6P4/pApT3eU973v6P74ABgYYHj8A/AAcGGB4/APgADgxkPPwHwADwxkPP4fAAPw6Hv/
        +O//v//xA848wwwwgMICwuKVp7/MHFzGxp9ZT/mTP51Fvemf8D3AMPBtwmTQ24HSgY8Au4XBE0fLpj4NuhhATqGIhGbJKdH44hCotBVFbDdWySv8+MyP
        xoOcRqf/+QUjkCeKJ0nSkc///J4onTUy//NoBGkReVdKKs3IACGbdowBm5gAMjYxMTUyMv///z6JieSMnRMWSMk0TH//mQbAIZCoBIhUAkTBAsZEK1N/
        mEhpkrFEav+cPBD09hEf8DjYG84aATJ5LhZ0VoKsQGU6PxzxsitSKD1Vr+MsRckRyS4SX/5Ai+VSAlwtk1//l8tEyXD5NGZ4mf//zA+TRmeLpgfLxmeL
        v///5gfLxmaF0wNy8ZmhdOG5e/////OmhicTMjqBicTMjqBicTMjqCpMQU1FMy4xMDCqqqqqqqqqqqqqqqqqqqqq//NoBBkAAAGkAOAAAAAAA0gBwAAA
        qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
        qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
        qqqqqqqqqqqqqqqqqqqqqqqqqqqq
        """;
}

/// <summary>A fact that is skipped when the LAME encoder is not on the PATH (<c>apt-get install lame</c>).</summary>
public sealed class LameFactAttribute : FactAttribute
{
    public LameFactAttribute()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!dirs.Any(d => File.Exists(Path.Combine(d, "lame")) || File.Exists(Path.Combine(d, "lame.exe"))))
            Skip = "lame (an MP3 encoder) is not installed; the embedded clip.mp3 test covers MP3 decoding without it";
    }
}
