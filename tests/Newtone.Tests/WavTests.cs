using NAudio.Wave;

namespace Newtone.Tests;

/// <summary>WAV input in the formats users have, float output, and what it refuses.</summary>
public class WavTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void ReadsPcmOfEveryWidthAsTheScaledIntegers(int bits)
    {
        using var dir = new TempDir();
        string path = dir["pcm.wav"];
        int bytes = bits / 8;
        long full = 1L << (bits - 1);
        long[] values = [0, 1, -1, full - 1, -full, full / 3, -full / 7];
        using (var w = new WaveFileWriter(path, new WaveFormat(22050, bits, 2)))
        {
            var buf = new byte[values.Length * 2 * bytes];
            for (int i = 0; i < values.Length; i++)
            {
                for (int c = 0; c < 2; c++)
                {
                    long v = c == 0 ? values[i] : -values[i] - 1;
                    for (int b = 0; b < bytes; b++) buf[(i * 2 + c) * bytes + b] = (byte)(v >> (8 * b));
                }
            }
            w.Write(buf, 0, buf.Length);
        }
        var audio = WavFile.Read(path);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(2, audio.ChannelCount);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal((double)values[i] / full, audio.Channels[0][i], 1e-6);
            Assert.Equal((double)(-values[i] - 1) / full, audio.Channels[1][i], 1e-6);
        }
    }

    [Fact]
    public void FloatRoundTripIsExact()
    {
        using var dir = new TempDir();
        var a = new AudioBuffer([[0.5f, -0.25f, 1e-9f, 3f], [0, 1, -1, 0.125f]], 96000);
        WavFile.WriteFloat(dir["f.wav"], a);
        var b = WavFile.Read(dir["f.wav"]);
        Assert.Equal(96000, b.SampleRate);
        Assert.Equal(a.Channels[0], b.Channels[0]);
        Assert.Equal(a.Channels[1], b.Channels[1]);
        var info = WavFile.ReadInfo(dir["f.wav"]);
        Assert.Equal(32, info.BitsPerSample);
        Assert.Equal(4, info.Frames);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void NotAWavFileIsAnErrorNamingIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["text.wav"], "this is not audio");
        var e = Assert.Throws<InputException>(() => WavFile.Read(dir["text.wav"]));
        Assert.StartsWith(dir["text.wav"], e.Message);
        var missing = Assert.Throws<InputException>(() => WavFile.Read(dir["nope.wav"]));
        Assert.Contains("not found", missing.Message);
    }

    [Fact]
    public void NanSampleIsReportedWithItsPosition()
    {
        using var dir = new TempDir();
        var data = new float[1000];
        data[733] = float.NaN;
        WavFile.WriteFloat(dir["nan.wav"], new AudioBuffer(data, 1000));
        var e = Assert.Throws<InputException>(() => WavFile.Read(dir["nan.wav"]));
        Assert.Contains("sample 733", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("0.733 s", e.Message);
    }
}
