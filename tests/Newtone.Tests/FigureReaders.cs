using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Newtone.Tests;

/// <summary>
/// Readers that know nothing of how the figures are drawn: the SVG as XML (its <c>&lt;text&gt;</c> elements, the axis
/// ticks a reader reads), the PDF through poppler's <c>pdftotext</c>.
/// </summary>
internal static partial class FigureReaders
{
    /// <summary>The path to <c>pdftotext</c>, or null when it is not installed.</summary>
    public static string? PdfToText { get; } = Find("pdftotext");

    private static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The SVG parsed as XML; its root must be <c>&lt;svg&gt;</c> in the SVG namespace.</summary>
    public static XElement Svg(string path)
    {
        var doc = XDocument.Load(path);
        Assert.NotNull(doc.Root);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", doc.Root.Name.NamespaceName);
        return doc.Root;
    }

    /// <summary>The content of every <c>&lt;text&gt;</c> element, whitespace collapsed.</summary>
    public static List<string> Texts(XElement svg) =>
        svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => Collapse(e.Value)).Where(t => t.Length > 0).ToList();

    /// <summary>The text <c>pdftotext</c> finds in a PDF, whitespace collapsed.</summary>
    public static string PdfText(string path)
    {
        var psi = new ProcessStartInfo(PdfToText!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-enc");
        psi.ArgumentList.Add("UTF-8");
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add("-");
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "pdftotext did not finish");
        Assert.True(p.ExitCode == 0, $"pdftotext {path}: exit {p.ExitCode}: {err.Result}");
        return Collapse(text.Result);
    }

    public static string Collapse(string s) => Spaces().Replace(s, " ").Trim();

    /// <summary>
    /// The labelled ticks of the SVG's axes, as a reader finds them: a major tick mark (a 4-pixel line) followed by its
    /// number. Vertical marks are ticks of a horizontal axis (their x is the value's position), horizontal marks of a
    /// vertical axis (their y).
    /// </summary>
    public static List<Tick> Ticks(XElement svg)
    {
        var ticks = new List<Tick>();
        foreach (var path in svg.Descendants().Where(e => e.Name.LocalName == "path"))
        {
            var m = Segment().Match(path.Attribute("d")?.Value ?? "");
            if (!m.Success) continue;
            double x1 = D(m.Groups[1].Value), y1 = D(m.Groups[2].Value), x2 = D(m.Groups[3].Value), y2 = D(m.Groups[4].Value);
            var next = path.ElementsAfterSelf().FirstOrDefault();
            if (next is null || next.Name.LocalName != "text") continue;
            if (!double.TryParse(Collapse(next.Value).Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) continue;
            if (x1 == x2 && Math.Abs(Math.Abs(y2 - y1) - 4) < 0.01) ticks.Add(new Tick(Horizontal: true, x1, Math.Min(y1, y2), value));
            else if (y1 == y2 && Math.Abs(Math.Abs(x2 - x1) - 4) < 0.01) ticks.Add(new Tick(Horizontal: false, Math.Max(x1, x2), y1, value));
        }
        return ticks;
    }

    /// <summary>The straight line through (value, pixel) pairs, checked to be one (a linear axis): pixel = A + B·value.</summary>
    public static (double A, double B) Axis(IReadOnlyList<(double Value, double Pixel)> points)
    {
        Assert.True(points.Count >= 3, $"only {points.Count} labelled ticks");
        double mv = points.Average(p => p.Value), mp = points.Average(p => p.Pixel);
        double b = points.Sum(p => (p.Value - mv) * (p.Pixel - mp)) / points.Sum(p => (p.Value - mv) * (p.Value - mv));
        double a = mp - b * mv;
        foreach (var (v, px) in points) Assert.True(Math.Abs(a + b * v - px) < 0.6, $"tick {v} at {px} is off the line ({a + b * v})");
        return (a, b);
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^M([-\d.eE]+) ([-\d.eE]+)L([-\d.eE]+) ([-\d.eE]+)$")]
    private static partial Regex Segment();
}

/// <summary>A labelled tick: on a horizontal axis (position X) or a vertical one (position Y).</summary>
internal readonly record struct Tick(bool Horizontal, double X, double Y, double Value);

/// <summary>A fact skipped, with the reason printed, where poppler's <c>pdftotext</c> is not installed.</summary>
public sealed class PdfToTextFactAttribute : FactAttribute
{
    public PdfToTextFactAttribute()
    {
        if (FigureReaders.PdfToText is null) Skip = "pdftotext (Debian poppler-utils) is not installed: the PDFs' text is not checked";
    }
}
