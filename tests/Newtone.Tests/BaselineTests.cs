namespace Newtone.Tests;

/// <summary>
/// Issue 11, plugin baselines (<c>newtone baseline list/render</c>): the renderings through real LV2 compressors
/// (Calf, LSP, ZamComp) equal Debian's lv2apply on the same file and controls, do not depend on the block size, start
/// from a fresh plugin for every file, remove a plugin's reported latency, follow the presets' peak-reduction maps, are
/// scored by compare; bad plugins, controls and values are one line and exit code 2. Everything runs the real
/// executable; the tests skip with a printed reason where lilv or the plugins are absent.
/// </summary>
public class BaselineTests
{
    private const int Sr = 44100;

    /// <summary>A SignalTrain-shaped tree of 3 s recordings (compress mode) at the given levels.</summary>
    private static string Tree(TempDir dir, params int[] levels)
    {
        SyntheticDataset.Write(dir["data"], new SyntheticDataset.Options
        {
            SampleRate = Sr, Seconds = 3, Levels = levels, Modes = [La2aMode.Compress, La2aMode.Limit], NoiseDbfs = double.NegativeInfinity,
        });
        return dir["data"];
    }

    private static string[] Rendered(string folder) => Directory.GetFiles(folder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    private static float[] Mono(string path) => WavFile.Read(path).Channels[0];

    private static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    private static double Rms(float[] a) => Math.Sqrt(a.Sum(v => (double)v * v) / a.Length);

    private static (int Exit, string Out, string Err) Ok((int Exit, string Out, string Err) r)
    {
        Assert.True(r.Exit == 0, $"exit {r.Exit}:\n{r.Err}\n{r.Out}");
        return r;
    }

    private static void AssertOneErrorLine((int Exit, string Out, string Err) r, params string[] contains)
    {
        Assert.Equal(2, r.Exit);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one line, got:\n{r.Err}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (var c in contains) Assert.Contains(c, lines[0]);
        Assert.DoesNotContain("Exception", lines[0]);
    }

    private static readonly string[] CalfSettings = ["--set", "threshold=0.08", "--set", "ratio=6", "--set", "attack=3", "--set", "release=120"];

    [Lv2PluginFact(true, Lv2Plugins.CalfMono)]
    public void RenderEqualsLv2ApplyOnTheSameFileWithTheSameControls()
    {
        using var dir = new TempDir();
        Tree(dir, 80);
        Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", Lv2Plugins.CalfMono, "--out", "calf", "--mode", "compress", .. CalfSettings]));
        string input = dir["data/Train/input_154_.wav"], ours = dir["calf/Train/target_154_LA2A_3c__0__80.wav"];
        var r = Lv2Tools.Run("lv2apply", null, "-i", input, "-o", dir["lv2apply.wav"],
            "-c", "threshold", "0.08", "-c", "ratio", "6", "-c", "attack", "3", "-c", "release", "120", Lv2Plugins.CalfMono);
        Assert.True(r.Exit == 0, r.Err);
        var x = Mono(input);
        var mine = Mono(ours);
        Assert.Equal(1e-6, Math.Max(1e-6, MaxDiff(mine, Mono(dir["lv2apply.wav"]))));
        // The plugin really compressed: the rendering is not the input.
        Assert.True(MaxDiff(mine, x) > 0.05, "the compressor left the input unchanged");
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono, Lv2Plugins.LspMono)]
    public void BlockSizeDoesNotChangeTheOutput()
    {
        using var dir = new TempDir();
        Tree(dir, 70);
        foreach (var (uri, sets) in new[] { (Lv2Plugins.CalfMono, CalfSettings), (Lv2Plugins.LspMono, new[] { "--set", "al=0.1", "--set", "cr=6" }) })
        {
            var outputs = new List<float[]>();
            foreach (var block in new[] { "1s", "4096", "1000", "0.25s" })
            {
                string o = $"out-{outputs.Count}-{uri.GetHashCode():x}";
                Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", uri, "--out", o, "--mode", "compress", "--block", block, .. sets]));
                outputs.Add(Mono(Rendered(dir[o]).Single()));
            }
            foreach (var o in outputs.Skip(1)) Assert.True(MaxDiff(outputs[0], o) <= 1e-6, $"{uri}: {MaxDiff(outputs[0], o)}");
        }
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono)]
    public void EveryFileStartsFromAFreshPlugin()
    {
        using var dir = new TempDir();
        Tree(dir, 60, 90);
        // A long release carries the state far: a plugin not reset between files would colour the second file's start.
        string[] slow = ["--set", "threshold=0.02", "--set", "ratio=20", "--set", "release=2000", "--mode", "compress"];
        Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", Lv2Plugins.CalfMono, "--out", "both", "--threads", "1", .. slow]));
        Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", Lv2Plugins.CalfMono, "--out", "alone", "--pattern", "__90", .. slow]));
        var both = Rendered(dir["both"]);
        Assert.Equal(2, both.Length);
        string name = "Train/target_156_LA2A_3c__0__90.wav";
        Assert.Equal(0, MaxDiff(Mono(dir["alone/" + name]), Mono(dir["both/" + name])));
        // Resumable: a second run skips both files, --force redoes them.
        var again = Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", Lv2Plugins.CalfMono, "--out", "both", .. slow]));
        Assert.Contains("rendered 0 file(s), skipped 2", again.Out);
    }

    [Lv2PluginFact(false, Lv2Plugins.LspLimiter)]
    public void ReportedLatencyIsRemoved()
    {
        using var dir = new TempDir();
        Tree(dir, 50);
        // A limiter with a 5 ms look-ahead, its threshold above the signal and its level regulation off: a pure delay.
        string[] sets = ["--set", "th=1", "--set", "lk=5", "--set", "alr=0", "--set", "boost=0", "--set", "g_in=0.5", "--mode", "compress"];
        var r = Ok(Cli.Run(dir.Path, ["baseline", "render", "data", "--plugin", Lv2Plugins.LspLimiter, "--out", "lim", .. sets]));
        var x = Mono(dir["data/Train/input_148_.wav"]);
        var y = Mono(Rendered(dir["lim"]).Single());
        Assert.Equal(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++) x[i] *= 0.5f;
        Assert.True(MaxDiff(x, y) < 1e-4, $"not aligned: {MaxDiff(x, y)}");
        // Without the compensation the output would lag by ~220 frames and differ by far more.
        Assert.True(MaxDiff(x[..^300], y[300..]) > 1e-2);
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono, Lv2Plugins.LspMono)]
    public void PresetsCompressMoreAtHigherPeakReductionAndInLimitMode()
    {
        using var dir = new TempDir();
        Tree(dir, 40, 100);
        foreach (var preset in new[] { "calf-mono", "lsp-mono" })
        {
            Ok(Cli.Run(dir.Path, "baseline", "render", "data", "--preset", preset, "--out", preset));
            double Gain(string target, string input) => Rms(Mono(dir[$"{preset}/Train/{target}"])) / Rms(Mono(dir[$"data/Train/{input}"]));
            double c40 = Gain("target_146_LA2A_3c__0__40.wav", "input_146_.wav"), c100 = Gain("target_158_LA2A_3c__0__100.wav", "input_158_.wav");
            double l100 = Gain("target_179_LA2A_3c__1__100.wav", "input_179_.wav");
            Assert.True(c100 < 0.8 * c40, $"{preset}: gain {c40:F3} at 40, {c100:F3} at 100");
            Assert.True(l100 < c100, $"{preset}: limit {l100:F3} vs compress {c100:F3} at 100");
        }
    }

    [Lv2PluginFact(false, Lv2Plugins.ZamComp)]
    public void ZamCompWorksWithNewtonesHostOrIsRefusedCleanly()
    {
        // Debian's lv2apply segfaults on this DPF plugin (it provides no options feature); Newtone's host provides it.
        using var dir = new TempDir();
        Tree(dir, 100);
        var r = Cli.Run(dir.Path, "baseline", "render", "data", "--preset", "zam-comp", "--out", "zam", "--mode", "compress");
        Assert.True(r.Exit is 0 or 2, $"exit {r.Exit}: {r.Err}");
        if (r.Exit == 2)
        {
            AssertOneErrorLine(r, Lv2Plugins.ZamComp);
            return;
        }
        var x = Mono(dir["data/Train/input_158_.wav"]);
        var y = Mono(Rendered(dir["zam"]).Single());
        Assert.Equal(x.Length, y.Length);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.True(Rms(y) < 0.9 * Rms(x), "ZamComp did not compress at peak reduction 100");
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono, Lv2Plugins.CalfSynth)]
    public void BadPluginsControlsAndValuesAreOneLineAndExitCode2()
    {
        using var dir = new TempDir();
        Tree(dir, 60);
        string[] render = ["baseline", "render", "data", "--out", "out", "--mode", "compress"];
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", "http://example.org/no-such-plugin"]), "http://example.org/no-such-plugin", "no LV2 plugin");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfMono, "--set", "treshold=0.1"]), "treshold", "threshold", "ratio", "attack");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfMono, "--set", "ratio=50"]), "ratio = 50", "1…20");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfMono, "--peak", "threshold=1:-3"]), "threshold = -3", "peak reduction 100");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfMono, "--mode-control", "ratio=4"]), "--mode-control");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfSynth]), Lv2Plugins.CalfSynth, "no audio input");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--plugin", Lv2Plugins.CalfMono, "--block", "0"]), "--block");
        AssertOneErrorLine(Cli.Run(dir.Path, [.. render, "--preset", "nope"]), "nope", "calf-mono");
        AssertOneErrorLine(Cli.Run(dir.Path, ["baseline", "render", "data", "--out", "data/out", "--plugin", Lv2Plugins.CalfMono]), "output folder");
        Assert.False(Directory.Exists(dir["out"]));
        Assert.False(Directory.Exists(dir["data/out"]));
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono, Lv2Plugins.LspMono)]
    public void ListShowsTheInstalledCompressorsWithTheirControls()
    {
        using var dir = new TempDir();
        var brief = Ok(Cli.Run(dir.Path, "baseline", "list", "compressor"));
        Assert.Contains(Lv2Plugins.CalfMono, brief.Out);
        Assert.DoesNotMatch(@"\n +ratio +1…20 +default 2 +Ratio", brief.Out);   // controls only on request
        Assert.Contains("add --controls", brief.Out);
        var r = Ok(Cli.Run(dir.Path, "baseline", "list", "compressor", "--controls"));
        Assert.Contains(Lv2Plugins.CalfMono, r.Out);
        Assert.Contains(Lv2Plugins.LspMono, r.Out);
        Assert.Contains("Calf Mono Compressor: audio 1 in, 1 out", r.Out);
        Assert.Matches(@"\n +ratio +1…20 +default 2 +Ratio", r.Out);
        Assert.DoesNotContain("Monosynth", r.Out);
        // LV2_PATH is respected: an empty folder holds no plugins.
        Directory.CreateDirectory(dir["empty"]);
        var none = Lv2Tools.Run("dotnet", new Dictionary<string, string> { ["LV2_PATH"] = dir["empty"] },
            Path.Combine(AppContext.BaseDirectory, "newtone.dll"), "baseline", "list", "compressor");
        Assert.Equal(0, none.Exit);
        Assert.Contains("0 plugin(s) matching 'compressor' on LV2_PATH=", none.Out);
    }

    [Lv2PluginFact(false, Lv2Plugins.CalfMono)]
    public void CompareScoresTheRenderedTree()
    {
        using var dir = new TempDir();
        Tree(dir, 60, 80);
        Ok(Cli.Run(dir.Path, "baseline", "render", "data", "--preset", "calf-mono", "--out", "calf"));
        Assert.Equal(4, Rendered(dir["calf"]).Length);
        Ok(Cli.Run(dir.Path, "compare", "data", "--method", "Calf=calf", "--out", "scores.csv", "--min-seconds", "0"));
        var rows = File.ReadAllLines(dir["scores.csv"]).Where(l => l.StartsWith("Calf,", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            double esr = double.Parse(row.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(esr > 0 && esr < 2, row);
        }
    }
}
