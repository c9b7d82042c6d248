using ScottPlot;
using SkiaSharp;

namespace Newtone.Study;

/// <summary>
/// One figure: ScottPlot panels placed on a page of a given size, drawn onto any Skia canvas — a raster surface (PNG),
/// Skia's SVG canvas (text as <c>&lt;text&gt;</c> elements) or a PDF page (the font embedded, text as text) — and
/// written atomically in the format its file name asks for.
/// </summary>
internal sealed class FigurePage
{
    private readonly List<(Plot Plot, PixelRect Rect)> _panels = [];

    /// <summary>A page of <paramref name="width"/> × <paramref name="height"/> pixels (points in a PDF).</summary>
    public FigurePage(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "a figure needs a positive size");
        Width = width;
        Height = height;
    }

    /// <summary>Page width in pixels.</summary>
    public int Width { get; }

    /// <summary>Page height in pixels.</summary>
    public int Height { get; }

    /// <summary>Places a panel in the rectangle (left, top, width, height), in pixels from the page's top left.</summary>
    public void Add(Plot plot, float left, float top, float width, float height) =>
        _panels.Add((plot, new PixelRect(left, left + width, top + height, top)));

    /// <summary>
    /// Gives panels stacked in one column the same left and right margins, so their data areas line up (one time
    /// axis read across rows): each panel is laid out on its own first, then all get the widest margins found.
    /// </summary>
    public static void AlignColumn(IReadOnlyList<(Plot Plot, int Width, int Height)> column)
    {
        float left = 0, right = 0;
        var own = new List<PixelRect>();
        foreach (var (plot, w, h) in column)
        {
            // Laid out on a canvas that draws nothing: the layout (text measured, ticks chosen) without the rasterising.
            using (var measure = new SKNoDrawCanvas(w, h))
            {
                plot.RenderManager.ClearCanvasBeforeEachRender = false;
                plot.Render(measure, new PixelRect(0, w, h, 0));
            }
            var d = plot.LastRender.DataRect;
            own.Add(d);
            left = Math.Max(left, d.Left);
            right = Math.Max(right, w - d.Right);
        }
        for (int i = 0; i < column.Count; i++)
        {
            var d = own[i];
            column[i].Plot.Layout.Fixed(new PixelPadding(left, right, column[i].Height - d.Bottom, d.Top));
        }
    }

    /// <summary>Draws every panel onto <paramref name="canvas"/> over a white page.</summary>
    public void Render(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        foreach (var (plot, rect) in _panels)
        {
            plot.RenderManager.ClearCanvasBeforeEachRender = false;
            plot.Render(canvas, rect);
        }
    }

    /// <summary>Writes the figure to each path in the format its extension names (atomically: temporary file, then rename).</summary>
    public void Save(IEnumerable<string> paths)
    {
        foreach (var path in paths) Save(path);
    }

    /// <summary>Writes the figure to <paramref name="path"/> in the format its extension names.</summary>
    public void Save(string path)
    {
        var format = Figures.FormatOf(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.Write(full, stream =>
        {
            switch (format)
            {
                case FigureFormats.Png: WritePng(stream); break;
                case FigureFormats.Svg: WriteSvg(stream); break;
                default: WritePdf(stream, Path.GetFileNameWithoutExtension(full)); break;
            }
        });
    }

    private void WritePng(Stream stream)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"cannot allocate a {Width}×{Height} image");
        Render(surface.Canvas);
        using var image = surface.Snapshot();
        // Lossless; the "sub" filter and a moderate zlib level encode 3–5× faster than the defaults for some 15 % more bytes.
        using var pixels = image.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
            ?? throw new InvalidOperationException("the PNG encoder failed");
        data.SaveTo(stream);
    }

    private void WriteSvg(Stream stream)
    {
        // Skia's SVG canvas writes text as <text> elements in the named font unless told to convert it to paths.
        using var svg = new MemoryStream();
        using (var managed = new SKManagedWStream(svg))
        {
            using (var canvas = SKSvgCanvas.Create(SKRect.Create(Width, Height), managed))
                Render(canvas);
            managed.Flush();
        }
        // Skia gives the root a width and height only; a viewBox lets the figure scale (in a page, a slide, a browser).
        var bytes = svg.ToArray();
        string size = $"width=\"{Width}\" height=\"{Height}\"";
        int at = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512)).IndexOf(size, StringComparison.Ordinal);
        if (at < 0)
        {
            stream.Write(bytes);
            return;
        }
        at += size.Length;   // ASCII up to here: characters and bytes agree
        stream.Write(bytes, 0, at);
        stream.Write(System.Text.Encoding.UTF8.GetBytes($" viewBox=\"0 0 {Width} {Height}\""));
        stream.Write(bytes, at, bytes.Length - at);
    }

    private void WritePdf(Stream stream, string title)
    {
        // From Skia's defaults (no dates: the same figure gives the same file); images lossless (quality 101), not JPEG.
        var metadata = SKDocumentPdfMetadata.Default;
        metadata.Title = title;
        metadata.Creator = $"Newtone {FitJob.Version}";
        metadata.Producer = "Newtone (ScottPlot, SkiaSharp)";
        metadata.EncodingQuality = 101;
        using var managed = new SKManagedWStream(stream);
        using (var document = SKDocument.CreatePdf(managed, metadata))
        {
            var canvas = document.BeginPage(Width, Height);
            Render(canvas);
            document.EndPage();
            document.Close();
        }
        managed.Flush();
    }
}
