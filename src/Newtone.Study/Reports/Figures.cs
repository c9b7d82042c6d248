using System.Globalization;
using ScottPlot;

namespace Newtone.Study;

/// <summary>
/// The figures of a study (ScottPlot, DejaVu Sans): Figure 6's spectrograms, fitted parameters against peak reduction,
/// scores against peak reduction, and one fitted run. Each is drawn once and written as PNG, SVG or PDF — the format
/// named by each output's extension (text stays text in SVG and PDF) — atomically, never over one of its inputs.
/// </summary>
public static class Figures
{
    /// <summary>The font of every figure.</summary>
    internal const string FontName = "DejaVu Sans";
    private static readonly string[] ParameterNames = ["Threshold (dB)", "Ratio", "Attack (ms)", "Release (ms)", "Make-up gain (dB)",
        "Knee (dB)", "Slow share", "Charge (ms)", "Slow release (ms)", "Emphasis"];

    internal static Plot NewPlot()
    {
        var p = new Plot();
        p.Font.Set(FontName);
        p.Axes.Title.Label.FontSize = 16;
        p.Axes.Bottom.Label.FontSize = 14;
        p.Axes.Left.Label.FontSize = 14;
        p.Legend.FontName = FontName;
        p.Legend.SetBestFontOnEachRender = false;
        return p;
    }

    /// <summary>
    /// The format a figure's file name asks for: <c>.png</c>, <c>.svg</c> or <c>.pdf</c> (any case). Any other name is
    /// refused with one line naming the file and the three.
    /// </summary>
    public static FigureFormats FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => FigureFormats.Png,
            ".svg" => FigureFormats.Svg,
            ".pdf" => FigureFormats.Pdf,
            var ext => throw new InputException(ext.Length == 0
                ? $"{path}: a figure's name says its format; end it in .png, .svg or .pdf"
                : $"{path}: figures are written as .png, .svg or .pdf, not {ext}"),
        };
    }

    /// <summary>
    /// Checks figure outputs before anything is read or drawn: at least one, each a known format, none twice, none an input.
    /// </summary>
    internal static void CheckOutputs(IReadOnlyList<string> outPaths, params string[] inputs)
    {
        ArgumentNullException.ThrowIfNull(outPaths);
        if (outPaths.Count == 0) throw new ArgumentException("no figure file to write", nameof(outPaths));
        foreach (var o in outPaths)
        {
            FormatOf(o);
            PathGuard.OutputIsNotInput(o, inputs);
        }
        for (int i = 0; i < outPaths.Count; i++)
            for (int j = 0; j < i; j++)
                if (PathGuard.Same(outPaths[i], outPaths[j])) throw new InputException($"{outPaths[i]}: named twice as an output");
    }

    private static double[] ReadSegment(string path, double start, double seconds, out int sampleRate)
    {
        using var r = new WavStreamReader(path);
        sampleRate = r.Info.SampleRate;
        long from = (long)(start * sampleRate), count = (long)(seconds * sampleRate);
        if (from >= r.Info.Frames)
            throw new InputException(FormattableString.Invariant($"{path}: is {r.Info.Seconds:F1} s long; the start at {start:G} s is past its end"));
        var buf = r.NewBlock(65536);
        var seg = new List<double>();
        long pos = 0;
        int n;
        while (seg.Count < count && (n = r.Read(buf, 65536)) > 0)
        {
            for (int i = 0; i < n && seg.Count < count; i++)
                if (pos + i >= from) seg.Add(buf[0][i]);
            pos += n;
        }
        return [.. seg];
    }

    /// <summary>Where Figure 6's excerpt starts in the paper (s): the default start of <see cref="FitWindow"/>'s callers.</summary>
    public const double PaperStart = 251;

    /// <summary>
    /// Fits the excerpt [<paramref name="start"/>, <paramref name="start"/> + <paramref name="seconds"/>) into the shortest of
    /// <paramref name="paths"/> (WAV files): unchanged when it fits; otherwise moved to end at that file's end
    /// (start = max(0, length − seconds)), and the whole file when the file is shorter than <paramref name="seconds"/>.
    /// Returns the window and, when it had to change, the file that forced it and its length (s); <c>ShortFile</c> is null otherwise.
    /// </summary>
    public static (double Start, double Seconds, string? ShortFile, double FileSeconds) FitWindow(IEnumerable<string> paths, double start, double seconds)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!(start >= 0)) throw new ArgumentOutOfRangeException(nameof(start), "the excerpt's start must be 0 or more");
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), "the excerpt's length must be positive");
        string? shortest = null;
        double length = double.PositiveInfinity;
        foreach (var p in paths)
        {
            double l = WavFile.ReadInfo(p).Seconds;
            if (l < length) (shortest, length) = (p, l);
        }
        if (shortest is null || start + seconds <= length) return (start, seconds, null, length);
        double len = Math.Min(seconds, length);
        return (Math.Max(0, length - len), len, shortest, length);
    }

    /// <summary>
    /// Figure 6 generalised (docs/model.md §8): the target's log-frequency magnitude spectrogram and, per method, that
    /// of (target − method); STFT 4096/1024, Hann, centred; dB relative to the target's maximum; 20 Hz–18 kHz;
    /// one shared colour bar.
    /// </summary>
    public static void Spectrogram(string targetPath, IReadOnlyList<(string Name, string Path)> methods, double start, double seconds, string outPath,
        int width = 1200, int height = 0) =>
        Spectrogram(targetPath, methods, start, seconds, [outPath], width, height);

    /// <summary>Figure 6 generalised, drawn once and written to every path in <paramref name="outPaths"/> (PNG, SVG or PDF each).</summary>
    public static void Spectrogram(string targetPath, IReadOnlyList<(string Name, string Path)> methods, double start, double seconds,
        IReadOnlyList<string> outPaths, int width = 1200, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(methods);
        CheckOutputs(outPaths, [targetPath, .. methods.Select(m => m.Path)]);
        var t = ReadSegment(targetPath, start, seconds, out int sr);
        var panels = new List<(string Title, double[] Signal)> { ($"Original ({Path.GetFileName(targetPath)})", t) };
        foreach (var (name, path) in methods)
        {
            var p = ReadSegment(path, start, seconds, out int psr);
            if (psr != sr) throw new InputException($"{path}: sample rate {psr} Hz differs from the target's {sr} Hz");
            int n = Math.Min(p.Length, t.Length);
            panels.Add(($"Original − {name}", Enumerable.Range(0, n).Select(i => t[i] - p[i]).ToArray()));
        }
        var mags = panels.Select(pn => Stft.Magnitudes(pn.Signal)).ToList();
        double max = 0;
        foreach (double v in mags[0]) max = Math.Max(max, v);
        if (!(max > 0)) throw new InputException($"{targetPath}: the excerpt is silent");
        const double lo = 20, hi = 18000, floorDb = -100;
        double l0 = Math.Log10(lo), span = Math.Log10(hi) - l0, gap = 0.25 * span;
        const int rows = 300;
        var plot = NewPlot();
        ScottPlot.Plottables.Heatmap? last = null;
        var ticks = new List<(double, string)>();
        for (int k = 0; k < panels.Count; k++)
        {
            var m = mags[k];
            int frames = m.GetLength(0), bins = m.GetLength(1);
            var data = new double[rows, frames];
            for (int r = 0; r < rows; r++)
            {
                // Row 0 is the top of the image: the highest frequency.
                double f = Math.Pow(10, l0 + (rows - r - 0.5) / rows * span);
                double bin = f * 4096 / sr;
                int b0 = Math.Min((int)bin, bins - 2);
                double w = bin - b0;
                for (int c = 0; c < frames; c++)
                {
                    double mag = (1 - w) * m[c, b0] + w * m[c, b0 + 1];
                    data[r, c] = Math.Max(floorDb, 20 * Math.Log10(Math.Max(mag, 1e-300) / max));
                }
            }
            double bottom = (panels.Count - 1 - k) * (span + gap);
            var hm = plot.Add.Heatmap(data);
            hm.Colormap = new ScottPlot.Colormaps.Viridis();
            hm.ManualRange = new ScottPlot.Range(floorDb, 0);
            hm.Extent = new CoordinateRect(start, start + t.Length / (double)sr, bottom, bottom + span);
            last = hm;
            var label = plot.Add.Text(panels[k].Title, start, bottom + span + 0.04 * span);
            label.LabelFontSize = 14;
            label.LabelFontName = FontName;
            label.LabelAlignment = Alignment.LowerLeft;
            foreach (double f in new[] { 20.0, 100, 1000, 10000 })
                ticks.Add((bottom + Math.Log10(f) - l0, f >= 1000 ? $"{f / 1000:G}k" : f.ToString("G", CultureInfo.InvariantCulture)));
        }
        var cb = plot.Add.ColorBar(last!);
        cb.Label = "Magnitude (dB re. max of original)";
        cb.LabelStyle.FontSize = 14;
        cb.LabelStyle.FontName = FontName;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(x => x.Item1).ToArray(), ticks.Select(x => x.Item2).ToArray());
        plot.Axes.SetLimits(start, start + t.Length / (double)sr, -0.02 * span, panels.Count * (span + gap));
        plot.Title("Log-frequency spectrograms (STFT 4096, hop 1024, Hann)");
        plot.XLabel("Time (s)");
        plot.YLabel("Frequency (Hz)");
        plot.Grid.IsVisible = false;
        var page = new FigurePage(width, height > 0 ? height : 300 * panels.Count + 120);
        page.Add(plot, 0, 0, page.Width, page.Height);
        page.Save(outPaths);
    }

    /// <summary>Ticks for a log10 axis: 1, 2, 5 × 10^k (1…9 × 10^k when the range is under a decade).</summary>
    internal static List<(double Position, string Label)> LogTicks(double lo, double hi)
    {
        var ticks = new List<(double, string)>();
        foreach (var mantissas in new[] { new[] { 1.0 }, [1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9] })
        {
            ticks.Clear();
            for (int e = (int)Math.Floor(lo) - 1; e <= (int)Math.Ceiling(hi); e++)
                foreach (double m in mantissas)
                {
                    double pos = e + Math.Log10(m);
                    if (pos >= lo - 1e-9 && pos <= hi + 1e-9)
                        ticks.Add((pos, (m * Math.Pow(10, e)).ToString("G3", CultureInfo.InvariantCulture)));
                }
            if (ticks.Count >= 3) break;
        }
        if (ticks.Count < 2) ticks = [(lo, Math.Pow(10, lo).ToString("G3", CultureInfo.InvariantCulture)), (hi, Math.Pow(10, hi).ToString("G3", CultureInfo.InvariantCulture))];
        return ticks;
    }

    /// <summary>
    /// The five fitted parameters against peak reduction, one column per evaluation CSV (e.g. compress and
    /// limit side by side): fitted values, knots (40, 50, …, 100), and the linear and spline interpolation.
    /// </summary>
    public static void Params(IReadOnlyList<(string Label, List<EvalRow> Rows)> evals, string outPath, int width = 0, int height = 1300) =>
        Params(evals, [outPath], width, height);

    /// <summary>The five fitted parameters against peak reduction, drawn once and written to every path in <paramref name="outPaths"/>.</summary>
    public static void Params(IReadOnlyList<(string Label, List<EvalRow> Rows)> evals, IReadOnlyList<string> outPaths, int width = 0, int height = 1300)
    {
        ArgumentNullException.ThrowIfNull(evals);
        if (evals.Count == 0) throw new ArgumentException("no evaluation to plot");
        CheckOutputs(outPaths);
        int cols = evals.Count;
        // The opto model's extras (docs/model.md §11) get five more rows when every evaluation has them.
        int count = evals.All(e => e.Rows.Count > 0 && e.Rows.All(r => r.Opto is not null)) ? 10 : 5;
        var page = new FigurePage(width > 0 ? width : 520 * cols, count == 10 ? 2 * height : height);
        const int strip = 64;
        float cellW = page.Width / (float)cols, cellH = (page.Height - strip) / (float)count;
        var grid = new Plot[count, cols];
        for (int p = 0; p < count; p++)
        {
            for (int e = 0; e < cols; e++)
            {
                var (label, unsorted) = evals[e];
                var rows = unsorted.OrderBy(r => r.PeakReduction).ToList();
                var plot = NewPlot();
                var knots = rows.Where(r => r.PeakReduction % 10 == 0 && r.PeakReduction is >= 40 and <= 100).ToList();
                var all = plot.Add.Scatter(rows.Select(r => (double)r.PeakReduction).ToArray(), rows.Select(r => r.Parameter(p)).ToArray());
                all.LegendText = "fitted";
                all.LineWidth = 0;
                all.MarkerSize = 7;
                all.MarkerShape = MarkerShape.OpenCircle;
                if (knots.Count >= 2)
                {
                    var interp = new SettingsInterpolation(knots.Select(k => ((double)k.PeakReduction, k.Settings, count == 10 ? k.Opto : null)));
                    double At(double x) => p < 5 ? interp.Spline(x)[p] : interp.OptoSpline(x)![p - 5];
                    var xs = Enumerable.Range(0, 121).Select(i => interp.Min + i * (interp.Max - interp.Min) / 120).ToArray();
                    var spline = plot.Add.Scatter(xs, xs.Select(At).ToArray());
                    spline.LegendText = "spline (not-a-knot)";
                    spline.MarkerSize = 0;
                    spline.LineWidth = 2;
                    var linear = plot.Add.Scatter(knots.Select(k => (double)k.PeakReduction).ToArray(), knots.Select(k => k.Parameter(p)).ToArray());
                    linear.LegendText = "knots, linear";
                    linear.MarkerSize = 9;
                    linear.LineWidth = 1;
                    // Solid lines only: Skia's SVG writer has no dashes (it would draw them solid and complain).
                    var odd = rows.Where(r => r.PeakReduction % 10 == 5 && r.PeakReduction > interp.Min && r.PeakReduction < interp.Max).Select(r => (double)r.PeakReduction).ToArray();
                    if (odd.Length > 0)
                    {
                        var ip = plot.Add.Scatter(odd, odd.Select(At).ToArray());
                        ip.LegendText = "spline at odd levels";
                        ip.LineWidth = 0;
                        ip.MarkerSize = 9;
                        ip.MarkerShape = MarkerShape.OpenDiamond;
                    }
                }
                plot.Title($"{ParameterNames[p]} — {label}");
                plot.XLabel("Peak reduction");
                plot.YLabel(ParameterNames[p]);
                plot.HideLegend();
                grid[p, e] = plot;
            }
        }
        // One legend for the whole figure, in a strip above the panels, where it hides no data.
        page.Add(LegendStrip(grid[0, 0]), 0, 0, page.Width, strip);
        for (int e = 0; e < cols; e++)
        {
            FigurePage.AlignColumn(Enumerable.Range(0, count).Select(p => (grid[p, e], (int)cellW, (int)cellH)).ToList());
            for (int p = 0; p < count; p++) page.Add(grid[p, e], e * cellW, strip + p * cellH, cellW, cellH);
        }
        page.Save(outPaths);
    }

    /// <summary>A panel holding only the legend of <paramref name="source"/>'s plottables, in one row.</summary>
    internal static Plot LegendStrip(Plot source)
    {
        var strip = NewPlot();
        strip.HideAxesAndGrid();
        strip.Layout.Frameless();
        strip.Legend.ManualItems.AddRange(source.GetPlottables().SelectMany(p => p.LegendItems).Where(i => !string.IsNullOrEmpty(i.LabelText)));
        strip.ShowLegend(Alignment.MiddleCenter, Orientation.Horizontal);
        strip.Legend.OutlineWidth = 0;
        strip.Legend.ShadowOffset = new PixelOffset(0, 0);
        strip.Legend.FontSize = 14;
        strip.Legend.TightHorizontalWrapping = true;
        return strip;
    }

    /// <summary>ESR (in %) and ΔLDR (in dB) against peak reduction per method, one column per mode (means over recordings of a level).</summary>
    public static void Scores(IReadOnlyList<ScoreRow> rows, string outPath, int width = 0, int height = 760) => Scores(rows, [outPath], width, height);

    /// <summary>ESR (in %) and ΔLDR (in dB) against peak reduction, drawn once and written to every path in <paramref name="outPaths"/>.</summary>
    public static void Scores(IReadOnlyList<ScoreRow> rows, IReadOnlyList<string> outPaths, int width = 0, int height = 760)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("no scores to plot");
        CheckOutputs(outPaths);
        var modes = rows.Select(r => r.Mode).Distinct().Order().ToList();
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var page = new FigurePage(width > 0 ? width : 640 * modes.Count, height);
        float cellW = page.Width / (float)modes.Count, cellH = page.Height / 2f;
        var grid = new Plot[2, modes.Count];
        var palette = new ScottPlot.Palettes.Category10();
        for (int metric = 0; metric < 2; metric++)
        {
            for (int m = 0; m < modes.Count; m++)
            {
                var plot = NewPlot();
                double top = 0;
                for (int k = 0; k < methods.Count; k++)
                {
                    var pts = rows.Where(r => r.Method == methods[k] && r.Mode == modes[m]).GroupBy(r => r.PeakValue).OrderBy(g => g.Key)
                        .Select(g => ((double)g.Key, metric == 0 ? 100 * g.Average(r => r.Esr) : g.Average(r => r.Ldr))).ToArray();
                    if (pts.Length == 0) continue;
                    var s = plot.Add.Scatter(pts.Select(x => x.Item1).ToArray(), pts.Select(x => x.Item2).ToArray());
                    s.LegendText = methods[k];
                    s.Color = palette.GetColor(k);   // one colour per method in every panel
                    s.MarkerSize = 7;
                    s.LineWidth = 2;
                    top = Math.Max(top, pts.Max(x => Math.Abs(x.Item2)));
                }
                string modeName = modes[m] switch { 0 => "compress", 1 => "limit", var other => $"mode {other}" };
                if (metric == 0)
                {
                    // ESR is never negative: the axis starts at 0, so heights compare as ratios.
                    plot.Axes.SetLimitsY(0, top > 0 ? 1.08 * top : 1);
                    plot.Title($"ESR — {modeName} mode");
                    plot.YLabel("ESR (%, pre-filtered)");
                }
                else
                {
                    var zero = plot.Add.HorizontalLine(0);
                    zero.LineColor = Colors.Gray.WithAlpha(0.6);
                    zero.LineWidth = 1;
                    plot.Title($"ΔLDR — {modeName} mode");
                    plot.YLabel("ΔLDR (dB)");
                }
                plot.XLabel("Peak reduction");
                plot.ShowLegend(Edge.Right);   // beside the axes, never over the curves
                grid[metric, m] = plot;
            }
        }
        for (int m = 0; m < modes.Count; m++)
        {
            FigurePage.AlignColumn([(grid[0, m], (int)cellW, (int)cellH), (grid[1, m], (int)cellW, (int)cellH)]);
            for (int metric = 0; metric < 2; metric++) page.Add(grid[metric, m], m * cellW, metric * cellH, cellW, cellH);
        }
        page.Save(outPaths);
    }

    /// <summary>
    /// One fitted run: a few seconds of target and prediction, the residual (target − prediction) beneath them, their
    /// gain curves (the target/input envelope, masked where the input is near silence, against the model's smoothed
    /// gain, in dB) and the ESR per Newton iteration, the global stage on its own audio apart from the final fit.
    /// </summary>
    public static void Fit(string runDir, string outPath, double seconds = 3, int width = 1100, int height = 1250) =>
        Fit(runDir, [outPath], seconds, width, height);

    /// <summary>One fitted run, drawn once and written to every path in <paramref name="outPaths"/> (PNG, SVG or PDF each).</summary>
    public static void Fit(string runDir, IReadOnlyList<string> outPaths, double seconds = 3, int width = 1100, int height = 1250)
    {
        ArgumentNullException.ThrowIfNull(runDir);
        var p = RunParameters.Load(runDir);
        if (p.Input is null || p.Target is null || !File.Exists(p.Input) || !File.Exists(p.Target))
            throw new InputException($"{runDir}: its training audio ({p.Input}) is not available");
        CheckOutputs(outPaths, Path.Combine(runDir, FitJob.ParamsFile), Path.Combine(runDir, FitJob.HistoryFile),
            Path.Combine(runDir, FitJob.ConfigFile), p.Input, p.Target);
        FitFigure.Draw(runDir, p, seconds, width, height).Save(outPaths);
    }
}
