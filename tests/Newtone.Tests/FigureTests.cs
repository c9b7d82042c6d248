using SkiaSharp;

namespace Newtone.Tests;

/// <summary>Every figure, drawn through the real command: a valid PNG of the requested size that is not blank.</summary>
public class FigureTests
{
    private const int Sr = 16000;

    private static void AssertPicture(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        using var bmp = SKBitmap.Decode(bytes);
        Assert.NotNull(bmp);
        Assert.Equal(width, bmp.Width);
        Assert.Equal(height, bmp.Height);
        var colours = new HashSet<uint>();
        for (int y = 0; y < bmp.Height; y += 3)
            for (int x = 0; x < bmp.Width; x += 3) colours.Add((uint)bmp.GetPixel(x, y));
        Assert.True(colours.Count > 50, $"{path}: only {colours.Count} colours — blank?");
    }

    /// <summary>A small study: tree, sweep, eval, renders, compare.</summary>
    internal static string Study(TempDir dir)
    {
        SyntheticDataset.Write(dir["data"], new SyntheticDataset.Options
        {
            SampleRate = Sr, Seconds = 4, Levels = [40, 45, 50, 55, 60], Truth = WorkflowTests.Linear, NoiseDbfs = -70, Colour = true,
        });
        string[] fit = ["data.duration=2", "data.overlap=0.25"];
        Ok(dir, ["sweep", "data", "--mode", "compress", "--out", "study/runs", "--from", "60", "--to", "40", .. fit]);
        Ok(dir, "eval", "study/runs", "study/eval.csv", "--dataset", "data");
        Ok(dir, "render", "data", "--runs", "study/runs", "--mode", "compress", "--out", "study/good");
        Ok(dir, "render", "data", "--runs", "study/runs", "--mode", "compress", "--out", "study/bad", "--no-make-up");
        return dir["study"];
    }

    internal static string Ok(TempDir dir, params string[] args)
    {
        var (exit, stdout, stderr) = Cli.Run(dir.Path, args);
        Assert.True(exit == 0, $"newtone {string.Join(' ', args)}: exit {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    [Fact]
    public void EveryPlotIsAValidPngOfTheRequestedSize()
    {
        using var dir = new TempDir();
        Study(dir);
        var compare = Ok(dir, "compare", "data", "--method", "fitted=study/good", "--method", "no make-up=study/bad", "--min-seconds", "1", "--out", "study/scores.csv");
        Assert.Contains("10 comparison(s)", compare);

        string target = Path.Combine(dir["data"], "Train", SyntheticDataset.TargetName(150, "3c", La2aMode.Compress, 60));
        string rel = "Train/" + SyntheticDataset.TargetName(150, "3c", La2aMode.Compress, 60);
        Ok(dir, "plot", "spectrogram", "--target", target, "--method", $"fitted=study/good/{rel}", "--method", $"no make-up=study/bad/{rel}",
            "--start", "0.5", "--seconds", "3", "--out", "spec.png", "--width", "900", "--height", "700");
        AssertPicture(dir["spec.png"], 900, 700);
        Ok(dir, "plot", "params", "study/eval.csv", "--out", "params.png", "--width", "640", "--height", "1000");
        AssertPicture(dir["params.png"], 640, 1000);
        Ok(dir, "plot", "scores", "study/scores.csv", "--out", "scores.png", "--width", "700", "--height", "600");
        AssertPicture(dir["scores.png"], 700, 600);
        Ok(dir, "plot", "fit", "study/runs/la2a_50", "--out", "fit.png", "--width", "1000", "--height", "800");
        AssertPicture(dir["fit.png"], 1000, 800);
        // Defaults.
        Ok(dir, "plot", "scores", "study/scores.csv", "--out", "scores2.png");
        AssertPicture(dir["scores2.png"], 640, 760);

        var bad = Cli.Run(dir.Path, "plot", "spectrogram", "--target", target, "--method", $"x=study/good/{rel}", "--start", "99", "--out", "late.png");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("past its end", bad.Err);
        Assert.False(File.Exists(dir["late.png"]));
    }

    [Fact]
    public void CompareOrdersTheMethodsAndListsAMissingFile()
    {
        using var dir = new TempDir();
        Study(dir);
        string missing = "Train/" + SyntheticDataset.TargetName(148, "3c", La2aMode.Compress, 50);
        File.Delete(Path.Combine(dir["study/bad"], missing));
        var output = Ok(dir, "compare", "data", "--method", "good=study/good", "--method", "bad=study/bad", "--min-seconds", "1", "--out", "scores.csv");
        Assert.Contains("1 file(s) missing", output);
        Assert.Contains($"bad: {missing}", output);
        var rows = ScoresCsv.Read(dir["scores.csv"]);
        Assert.Equal("Method,Mode,Peak Value,ESR,LDR", File.ReadAllLines(dir["scores.csv"])[0]);
        Assert.Equal(5, rows.Count(r => r.Method == "good"));
        Assert.Equal(4, rows.Count(r => r.Method == "bad"));
        foreach (var b in rows.Where(r => r.Method == "bad"))
        {
            var g = rows.Single(r => r.Method == "good" && r.PeakValue == b.PeakValue);
            Assert.True(g.Esr < b.Esr, $"level {b.PeakValue}: fitted {g.Esr} vs without make-up {b.Esr}");
        }
        // Published numbers merge into the summary.
        File.WriteAllText(dir["published.csv"], "Method,Mode,Peak Value,ESR,LDR\npaper,0,40,0.084,-0.07\n");
        var merged = Ok(dir, "compare", "data", "--method", "good=study/good", "--method", "published.csv", "--min-seconds", "1", "--out", "s2.csv");
        Assert.Contains("paper", merged);
    }

    [Fact]
    public void ReportLinksOnlyFilesThatExist()
    {
        using var dir = new TempDir();
        string study = Study(dir);
        Ok(dir, "compare", "data", "--method", "fitted=study/good", "--min-seconds", "1", "--out", "study/scores.csv");
        // A run whose audio has gone: its figure cannot be drawn and must not be linked.
        Directory.CreateDirectory(Path.Combine(study, "orphan"));
        var p = RunParameters.Load(Path.Combine(study, "runs", "la2a_40")) with { Input = "/nonexistent/in.wav", Target = "/nonexistent/out.wav" };
        p.Save(Path.Combine(study, "orphan", "params.json"));
        var output = Ok(dir, "report", "study", "--out", "study/report.md");
        Assert.Contains("wrote", output);
        string md = File.ReadAllText(dir["study/report.md"]);
        var links = System.Text.RegularExpressions.Regex.Matches(md, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.True(links.Count > 5);
        foreach (var l in links)
            Assert.True(File.Exists(Path.Combine(dir["study"], l)), $"report links {l}, which does not exist");
        Assert.Contains("fit-runs-la2a_40.png", md);
        Assert.DoesNotContain("fit-orphan.png", md);
        Assert.Contains("not drawn", md);
        Assert.Contains("## Evaluation with interpolation", md);
        Assert.Contains("## Comparison", md);
    }
}
