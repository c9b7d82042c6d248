using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Newtone.Tests;

/// <summary>
/// A small study drawn once through the real command in every format: two fitted runs (one with no iterations at all),
/// an evaluation CSV, a scores CSV of known values, and a pair of recordings for Figure 6.
/// </summary>
public sealed class FigureStudyFixture : IDisposable
{
    public const int Sr = 16000;
    public static readonly string[] Formats = [".png", ".svg", ".pdf"];

    public FigureStudyFixture()
    {
        var truth = PublishedSettings.At(La2aMode.Compress, 60);
        var (x, y) = TestSignals.Pair(6, Sr, truth, 11, noiseDbfs: -80);
        WavFile.WriteFloat(Dir["in.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(Dir["out.wav"], new AudioBuffer(y, Sr));
        string[] data = ["data.train.input=in.wav", "data.train.target=out.wav", "data.duration=2", "data.overlap=0.25", "-q"];
        Ok(["fit", "ckpt_dir=run", .. data]);
        Ok(["fit", "ckpt_dir=run0", "epochs=0", .. data]);

        var sb = new StringBuilder(SweepEvaluation.Header);
        foreach (int level in new[] { 100, 40, 45, 50, 60, 70, 80, 90 })   // out of order on purpose
        {
            var s = PublishedSettings.At(La2aMode.Compress, level);
            string odd = level % 10 == 5 ? "0.011,0.012" : ",";
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{level},0.01,{odd},{s.ThresholdDb},{s.Ratio},{s.AttackMs},{s.ReleaseMs},{s.MakeUpDb}\n"));
        }
        File.WriteAllText(Dir["eval.csv"], sb.ToString());
        // One method whose ESR is 2 % at peak reduction 50 and 5 % at 80 (stored as fractions, as the reference does).
        File.WriteAllText(Dir["known.csv"], "Method,Mode,Peak Value,ESR,LDR\nA,0,50,0.02,0.5\nA,0,80,0.05,-0.5\n");

        Ok(["plot", "scores", "known.csv", "--width", "640", "--height", "760", .. Outs("scores")]);
        Ok(["plot", "params", "eval.csv", .. Outs("params")]);
        Ok(["plot", "fit", "run", .. Outs("fit")]);
        Ok(["plot", "fit", "run0", .. Outs("fit0")]);
        Ok(["plot", "spectrogram", "--target", "out.wav", "--method", "input=in.wav", "--start", "1", "--seconds", "3", .. Outs("spec")]);
    }

    internal TempDir Dir { get; } = new();

    private static string[] Outs(string name) => [.. Formats.SelectMany(e => new[] { "--out", $"fig/{name}{e}" })];

    internal string Ok(params string[] args) => FigureTests.Ok(Dir, args);

    public void Dispose() => Dir.Dispose();
}

/// <summary>
/// Figures in PNG, SVG and PDF (issue 14), each opened by a reader independent of the drawing code: the SVG as XML with
/// its labels as text, the PDF through <c>pdftotext</c>, the PNG's pixels against the axis a reader reads off the SVG.
/// </summary>
public class VectorFigureTests(FigureStudyFixture fx) : IClassFixture<FigureStudyFixture>
{
    /// <summary>Labels each figure must carry as text.</summary>
    public static TheoryData<string, string[]> Labels => new()
    {
        { "scores", ["Peak reduction", "ESR (%, pre-filtered)", "ΔLDR (dB)", "ESR — compress mode"] },
        { "params", ["Peak reduction", "Threshold (dB)", "Attack (ms)", "Release (ms)", "Make-up gain (dB)", "spline (not-a-knot)"] },
        { "fit", ["Time (s)", "Amplitude (full scale)", "Residual (full scale)", "Gain (dB)", "Newton iteration", "target − prediction"] },
        { "fit0", ["Time (s)", "Gain (dB)", FitFigureNote] },
        { "spec", ["Time (s)", "Frequency (Hz)", "Magnitude (dB re. max of original)", "Original − input"] },
    };

    private const string FitFigureNote = "No Newton iterations";

    private string Fig(string file) => fx.Dir[Path.Combine("fig", file)];

    [Theory]
    [MemberData(nameof(Labels))]
    public void SvgIsXmlWithItsLabelsAsText(string figure, string[] labels)
    {
        var svg = FigureReaders.Svg(Fig(figure + ".svg"));
        var (w, h) = PngSize(Fig(figure + ".png"));
        Assert.Equal(w.ToString(CultureInfo.InvariantCulture), svg.Attribute("width")?.Value);
        Assert.Equal(h.ToString(CultureInfo.InvariantCulture), svg.Attribute("height")?.Value);
        Assert.Equal($"0 0 {w} {h}", svg.Attribute("viewBox")?.Value);   // scales as a whole
        var texts = FigureReaders.Texts(svg);
        foreach (var label in labels)
            Assert.True(texts.Any(t => t.Contains(label, StringComparison.Ordinal)), $"{figure}.svg has no <text> with '{label}'; it has: {string.Join(" | ", texts.Take(40))}");
        // Glyphs drawn as outlines would leave no text behind; every label above was text, and so is the font.
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Attribute("font-family")?.Value == "DejaVu Sans");
    }

    [PdfToTextFact]
    public void PdfHasItsLabelsAsText()
    {
        foreach (var (figure, labels) in Labels.Select(r => ((string)r[0], (string[])r[1])))
        {
            string path = Fig(figure + ".pdf");
            Assert.Equal("%PDF-"u8.ToArray(), File.ReadAllBytes(path)[..5]);
            string text = FigureReaders.PdfText(path);
            foreach (var label in labels)
                Assert.True(text.Contains(label, StringComparison.Ordinal), $"{figure}.pdf: pdftotext finds no '{label}' in: {text[..Math.Min(600, text.Length)]}");
        }
    }

    [Fact]
    public void EveryFormatIsWrittenWholeAndNothingElse()
    {
        var names = Directory.GetFiles(fx.Dir["fig"]).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var expected = new[] { "fit", "fit0", "params", "scores", "spec" }.SelectMany(f => FigureStudyFixture.Formats.Select(e => f + e)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, names);   // no temporary file left behind
        foreach (var png in names.Where(n => n.EndsWith(".png", StringComparison.Ordinal)))
        {
            using var bmp = SKBitmap.Decode(Fig(png));
            Assert.NotNull(bmp);
        }
        Assert.Equal((640, 760), PngSize(Fig("scores.png")));
    }

    private static (int, int) PngSize(string path)
    {
        using var bmp = SKBitmap.Decode(path);
        return (bmp.Width, bmp.Height);
    }

    /// <summary>
    /// The scores figure of one method with ESR 2 % at 50 and 5 % at 80: the axes read off the SVG's labelled ticks (as a
    /// reader would) place those two points; the PNG has the method's colour there and not where fractions (0.02, 0.05)
    /// or swapped levels would have put them.
    /// </summary>
    [Fact]
    public void ScoresAreDrawnWhereTheirValuesAndUnitsSay()
    {
        var svg = FigureReaders.Svg(Fig("scores.svg"));
        var (w, h) = PngSize(Fig("scores.png"));
        var ticks = FigureReaders.Ticks(svg).Where(t => t.Y < h / 2.0).ToList();   // the ESR panel is the upper half
        var (ax, bx) = FigureReaders.Axis(ticks.Where(t => t.Horizontal).Select(t => (t.Value, t.X)).ToList());
        var (ay, by) = FigureReaders.Axis(ticks.Where(t => !t.Horizontal).Select(t => (t.Value, t.Y)).ToList());
        Assert.True(by < 0, "ESR grows upwards");
        Assert.Equal(0, ticks.Where(t => !t.Horizontal).Min(t => t.Value));   // ESR is never negative: its axis starts at 0

        using var png = SKBitmap.Decode(Fig("scores.png"));
        var blue = new SKColor(0x1F, 0x77, 0xB4);
        bool IsBlue(double x, double y)
        {
            var c = png.GetPixel((int)Math.Round(x), (int)Math.Round(y));
            return Math.Abs(c.Red - blue.Red) < 40 && Math.Abs(c.Green - blue.Green) < 40 && Math.Abs(c.Blue - blue.Blue) < 40;
        }
        foreach (var (level, esrPercent) in new[] { (50.0, 2.0), (80.0, 5.0) })
        {
            double px = ax + bx * level, py = ay + by * esrPercent;
            Assert.InRange(px, 0, w - 1);
            Assert.InRange(py, 0, h / 2.0);
            Assert.True(IsBlue(px, py), $"no marker at level {level}, ESR {esrPercent} % (pixel {px:F1}, {py:F1})");
            // The SVG's own marker sits there too.
            Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName is "ellipse" or "circle"), e =>
                Math.Abs(double.Parse(e.Attribute("cx")!.Value, CultureInfo.InvariantCulture) - px) < 0.6
                && Math.Abs(double.Parse(e.Attribute("cy")!.Value, CultureInfo.InvariantCulture) - py) < 0.6);
        }
        Assert.False(IsBlue(ax + bx * 50, ay + by * 5.0), "a marker where the levels would be swapped");
        Assert.False(IsBlue(ax + bx * 80, ay + by * 0.05), "a marker where ESR as a fraction would be");
    }

    [Fact]
    public void FitIterationsAreCountedInWholesAndTheStagesApart()
    {
        var svg = FigureReaders.Svg(Fig("fit.svg"));
        var texts = FigureReaders.Texts(svg);
        Assert.Contains(texts, t => t.StartsWith("Global stage", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Final run", StringComparison.Ordinal));
        var (_, h) = PngSize(Fig("fit.png"));
        var iterationTicks = FigureReaders.Ticks(svg).Where(t => t.Horizontal && t.Y > 0.7 * h).ToList();
        Assert.NotEmpty(iterationTicks);
        Assert.All(iterationTicks, t => Assert.Equal(Math.Round(t.Value), t.Value));
        Assert.Contains(iterationTicks, t => t.Value >= 1);
    }

    [Fact]
    public void FitWithoutIterationsSaysSoInsteadOfAnEmptyAxis()
    {
        var svg = FigureReaders.Svg(Fig("fit0.svg"));
        Assert.Contains(FigureReaders.Texts(svg), t => t.Contains(FitFigureNote, StringComparison.Ordinal));
        Assert.DoesNotContain(FigureReaders.Texts(svg), t => t == "Newton iteration");   // no axis for what is not there
    }

    [Theory]
    [InlineData("scores", "known.csv", "fig.jpg")]
    [InlineData("scores", "known.csv", "fig")]
    [InlineData("fit", "run", "fig.PNG.txt")]
    public void AnUnknownFormatIsRefusedInOneLine(string kind, string input, string output)
    {
        var (exit, stdout, stderr) = Cli.Run(fx.Dir.Path, "plot", kind, input, "--out", "bad/" + output);
        Assert.Equal(2, exit);
        string line = stderr.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: bad/" + output, line);
        foreach (var ext in FigureStudyFixture.Formats) Assert.Contains(ext, line);
        Assert.False(Directory.Exists(fx.Dir["bad"]), stdout);
    }

    [Fact]
    public void AFigureNeverOverwritesItsInput()
    {
        File.Copy(fx.Dir["known.csv"], fx.Dir["scores-as.svg"], overwrite: true);
        byte[] before = File.ReadAllBytes(fx.Dir["scores-as.svg"]);
        var (exit, _, stderr) = Cli.Run(fx.Dir.Path, "plot", "scores", "scores-as.svg", "--out", "./scores-as.svg");
        Assert.Equal(2, exit);
        Assert.Contains("overwrite the input", stderr);
        Assert.Equal(before, File.ReadAllBytes(fx.Dir["scores-as.svg"]));
    }

    /// <summary>
    /// The envelope ratio on a tone at −6 dBFS with a second of silence in it, the target a quarter of the input
    /// (−12.04 dB) plus noise at −100 dBFS: where the input is loud the ratio is −12.04 dB; in the silence it is not
    /// drawn (noise over nothing would read as tens of dB), and no drawn value strays beyond the threshold.
    /// </summary>
    [Fact]
    public void TheEnvelopeRatioIsMaskedWhereTheInputIsNearSilence()
    {
        const int sr = 8000;
        int n = 4 * sr;
        var x = new float[n];
        var y = new float[n];
        var rng = new Random(5);
        for (int i = 0; i < n; i++)
        {
            bool silent = i >= 2 * sr && i < 3 * sr;
            x[i] = silent ? 0 : (float)(0.5 * Math.Sin(2 * Math.PI * 220 * i / sr));
            y[i] = 0.25f * x[i] + (float)(1e-5 * (rng.NextDouble() * 2 - 1));
        }
        var ratio = GainEnvelope.RatioDb(x, y, sr, sr, 3 * sr, out double floor);   // 1 s … 4 s
        // The loudest envelope of a 0.5 sine is its mean |x| = 1/π (−9.9 dBFS) plus a little ripple: the floor is 40 dB under.
        Assert.InRange(floor, 20 * Math.Log10(1 / Math.PI) - 40 - 0.3, 20 * Math.Log10(1 / Math.PI) - 40 + 0.3);
        double expected = 20 * Math.Log10(0.25);
        for (int i = 0; i < ratio.Length; i++)
        {
            double t = 1 + i / (double)sr;
            if (double.IsFinite(ratio[i])) Assert.True(Math.Abs(ratio[i] - expected) < 0.5, $"t = {t:F4} s: ratio {ratio[i]:F2} dB drawn");
            if (t < 2) Assert.True(double.IsFinite(ratio[i]), $"t = {t:F4} s: the loud part is masked");
            if (t > 2.1 && t < 3) Assert.True(double.IsNaN(ratio[i]), $"t = {t:F4} s: the silence is drawn ({ratio[i]:F1} dB)");
            if (t > 3.02) Assert.True(double.IsFinite(ratio[i]), $"t = {t:F4} s: the loud part after the silence is masked");
        }
    }
}
