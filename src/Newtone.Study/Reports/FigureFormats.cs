namespace Newtone.Study;

/// <summary>
/// The file formats of a figure. A figure's format is chosen by its file name (<c>.png</c>, <c>.svg</c>, <c>.pdf</c>);
/// the flags combine when one drawing is written in several formats (the study report's <c>--figures</c>).
/// </summary>
[Flags]
public enum FigureFormats
{
    /// <summary>No format.</summary>
    None = 0,

    /// <summary>PNG, a raster image (<c>.png</c>).</summary>
    Png = 1,

    /// <summary>SVG, vector graphics with text kept as text (<c>.svg</c>).</summary>
    Svg = 2,

    /// <summary>PDF, vector graphics with the font embedded and text kept as text (<c>.pdf</c>).</summary>
    Pdf = 4,

    /// <summary>PNG, SVG and PDF.</summary>
    All = Png | Svg | Pdf,
}
