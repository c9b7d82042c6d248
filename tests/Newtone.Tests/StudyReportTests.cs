using System.Text.RegularExpressions;

namespace Newtone.Tests;

/// <summary>
/// The study report as a reader meets it (issue 14): Figure 6 included when the study has it, levels in numerical
/// order, inverse-mode runs marked, units on every number, vector copies of every figure, and never written over an input.
/// </summary>
public class StudyReportTests(FigureStudyFixture fx) : IClassFixture<FigureStudyFixture>
{
    /// <summary>A study folder: the fixture's evaluation (levels out of order), runs at 40 and 100 (one inverse), Figure 6.</summary>
    private static string MakeStudy(FigureStudyFixture fx, TempDir dir)
    {
        string study = dir["study"];
        Directory.CreateDirectory(study);
        File.Copy(fx.Dir["eval.csv"], Path.Combine(study, "eval.csv"));
        var run = RunParameters.Load(fx.Dir["run"]);
        foreach (var (level, mode) in new[] { (100, "forward"), (40, "inverse") })
        {
            string d = Path.Combine(study, "runs", $"la2a_{level}");
            Directory.CreateDirectory(d);
            (run with { PeakReduction = level, La2aMode = "compress", Mode = mode }).Save(Path.Combine(d, FitJob.ParamsFile));
            File.Copy(Path.Combine(fx.Dir["run"], FitJob.HistoryFile), Path.Combine(d, FitJob.HistoryFile));
        }
        File.Copy(fx.Dir["fig/spec.png"], Path.Combine(study, "figure6.png"));
        File.Copy(fx.Dir["fig/spec.svg"], Path.Combine(study, "figure6.svg"));
        return study;
    }

    [Fact]
    public void ReportHasFigure6LevelsInOrderInverseRunsMarkedAndVectorCopies()
    {
        using var dir = new TempDir();
        MakeStudy(fx, dir);
        var output = FigureTests.Ok(dir, "report", "study", "--out", "study/report.md", "--figures", "all");
        Assert.Contains("PNG, SVG, PDF", output);
        string md = File.ReadAllText(dir["study/report.md"]);

        Assert.Contains("## Figure 6", md);
        Assert.Contains("![Figure 6 (figure6)](figure6.png)", md);
        Assert.Contains("[SVG](figure6.svg)", md);

        // 40 before 100, wherever levels are listed: the evaluation table and the runs.
        var evalLevels = Regex.Matches(md, @"^\| (\d+) \| [\d.]+ \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal([40, 45, 50, 60, 70, 80, 90, 100], evalLevels);
        Assert.True(md.IndexOf("runs/la2a_40/", StringComparison.Ordinal) < md.IndexOf("runs/la2a_100/", StringComparison.Ordinal), "la2a_100 listed before la2a_40");
        Assert.True(md.IndexOf("fit-runs-la2a_40.png", StringComparison.Ordinal) < md.IndexOf("fit-runs-la2a_100.png", StringComparison.Ordinal));

        // The inverse run is marked in its row, and only it.
        var rows = md.Split('\n').Where(l => l.StartsWith("| [runs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("**inverse**", rows.Single(r => r.Contains("la2a_40", StringComparison.Ordinal)));
        Assert.DoesNotContain("inverse", rows.Single(r => r.Contains("la2a_100", StringComparison.Ordinal)));

        // Units in every column header of a number.
        foreach (var header in md.Split('\n').Where(l => l.StartsWith("| Run |", StringComparison.Ordinal) || l.StartsWith("| Peak reduction | GT", StringComparison.Ordinal)))
            foreach (var h in new[] { "ESR (%)", "Threshold (dB)", "Attack (ms)", "Release (ms)", "Make-up (dB)" })
                Assert.Contains(h, header.Replace("GT ESR (%)", "ESR (%)"));

        // Every figure in three formats, each linked; every link points at a file.
        var figures = Directory.GetFiles(dir["study/report-figures"]).Select(Path.GetFileName).ToList();
        foreach (var stem in figures.Select(f => Path.GetFileNameWithoutExtension(f!)).Distinct())
            foreach (var ext in FigureStudyFixture.Formats)
                Assert.Contains(stem + ext, figures);
        Assert.Contains("fit-runs-la2a_40.pdf", md);
        foreach (var link in Regex.Matches(md, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value))
            Assert.True(File.Exists(Path.Combine(dir["study"], link)), $"report links {link}, which does not exist");
    }

    [Fact]
    public void ReportDefaultsToPngAndRefusesUnknownFormatsAndItsInputs()
    {
        using var dir = new TempDir();
        string study = MakeStudy(fx, dir);
        FigureTests.Ok(dir, "report", "study", "--out", "out/report.md");
        Assert.All(Directory.GetFiles(dir["out/report-figures"]), f => Assert.EndsWith(".png", f));
        // A report inside the study replaces its earlier self (it is not one of the study's inputs).
        FigureTests.Ok(dir, "report", "study", "--out", "study/report.md");
        FigureTests.Ok(dir, "report", "study", "--out", "study/report.md");

        var bad = Cli.Run(dir.Path, "report", "study", "--out", "out2/report.md", "--figures", "gif");
        Assert.Equal(2, bad.Exit);
        Assert.DoesNotContain('\n', bad.Err.Trim());
        Assert.Contains("png, svg, pdf or all", bad.Err);
        Assert.False(Directory.Exists(dir["out2"]));

        byte[] before = File.ReadAllBytes(Path.Combine(study, "eval.csv"));
        var over = Cli.Run(dir.Path, "report", "study", "--out", "study/eval.csv");
        Assert.Equal(2, over.Exit);
        Assert.Contains("overwrite the input", over.Err);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(study, "eval.csv")));
    }
}
