namespace Newtone.Tests;

/// <summary><c>plot spectrogram</c>'s default start (the paper's 251 s) moves to fit short files, and says so; an explicit start past the end is an error.</summary>
public class SpectrogramClampTests
{
    private const int Sr = 16000;

    /// <summary>A target (music) and an emulation of it (a little quieter) of the given length.</summary>
    private static void WritePair(TempDir dir, string target, string method, double seconds)
    {
        var x = MusicGenerator.Generate(seconds, Sr, 5);
        WavFile.WriteFloat(dir[target], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir[method], new AudioBuffer([x.Select(v => 0.9f * v).ToArray()], Sr));
    }

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path)[..4]);
    }

    [Fact]
    public void WithoutStartAShortFileIsDrawnFromItsLastSecondsWithANote()
    {
        using var dir = new TempDir();
        WritePair(dir, "t.wav", "m.wav", 10);
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "plot", "spectrogram", "--target", "t.wav", "--method", "emu=m.wav", "--out", "s.png");
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("note: t.wav is 10.0 s long; drawing 5.0–10.0 s instead of 251–256 s", stdout);
        AssertPng(dir["s.png"]);

        // Shorter than the window: the whole file.
        WritePair(dir, "short.wav", "short-m.wav", 3);
        var whole = Cli.Run(dir.Path, "plot", "spectrogram", "--target", "short.wav", "--method", "emu=short-m.wav", "--out", "short.png");
        Assert.True(whole.Exit == 0, $"exit {whole.Exit}\n{whole.Out}\n{whole.Err}");
        Assert.Contains("note: short.wav is 3.0 s long; drawing 0.0–3.0 s instead of 251–256 s", whole.Out);
        AssertPng(dir["short.png"]);
    }

    [Fact]
    public void AnExplicitStartPastTheEndIsAnErrorAndTheDefaultWasTheOnlyThingMoved()
    {
        using var dir = new TempDir();
        WritePair(dir, "t.wav", "m.wav", 10);
        foreach (var start in new[] { "30", "251" })
        {
            var (exit, stdout, stderr) = Cli.Run(dir.Path, "plot", "spectrogram", "--target", "t.wav", "--method", "emu=m.wav", "--start", start, "--out", "late.png");
            Assert.True(exit == 2, $"--start {start}: exit {exit}\n{stdout}\n{stderr}");
            Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.Contains($"--start {start}", stderr);
            Assert.Contains("t.wav", stderr);
            Assert.Contains("past its end", stderr);
            Assert.DoesNotContain("note:", stdout);
            Assert.False(File.Exists(dir["late.png"]));
        }
        // An explicit start inside the file is drawn as asked, without a note.
        var ok = Cli.Run(dir.Path, "plot", "spectrogram", "--target", "t.wav", "--method", "emu=m.wav", "--start", "2", "--seconds", "3", "--out", "early.png");
        Assert.True(ok.Exit == 0, $"exit {ok.Exit}\n{ok.Out}\n{ok.Err}");
        Assert.DoesNotContain("note:", ok.Out);
        AssertPng(dir["early.png"]);
    }

    [Fact]
    public void FitWindowKeepsAWindowThatFitsAndOtherwiseEndsItAtTheShortestFilesEnd()
    {
        using var dir = new TempDir();
        WavFile.WriteFloat(dir["long.wav"], new AudioBuffer([new float[20 * Sr]], Sr));
        WavFile.WriteFloat(dir["short.wav"], new AudioBuffer([new float[12 * Sr + Sr / 4]], Sr));   // 12.25 s

        var fits = Figures.FitWindow([dir["long.wav"]], 10, 5);
        Assert.Equal((10.0, 5.0), (fits.Start, fits.Seconds));
        Assert.Null(fits.ShortFile);

        var moved = Figures.FitWindow([dir["long.wav"], dir["short.wav"]], Figures.PaperStart, 5);
        Assert.Equal(dir["short.wav"], moved.ShortFile);
        Assert.Equal(12.25, moved.FileSeconds, 9);
        Assert.Equal(7.25, moved.Start, 9);
        Assert.Equal(5, moved.Seconds, 9);

        var partly = Figures.FitWindow([dir["short.wav"]], 10, 5);   // 10–15 s does not fit 12.25 s: 7.25–12.25 s
        Assert.Equal(7.25, partly.Start, 9);

        var whole = Figures.FitWindow([dir["short.wav"]], Figures.PaperStart, 30);
        Assert.Equal((0.0, 12.25), (whole.Start, Math.Round(whole.Seconds, 9)));
    }
}
