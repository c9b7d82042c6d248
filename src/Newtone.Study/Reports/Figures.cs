using System.Globalization;
using ScottPlot;

namespace Newtone.Study;

/// <summary>
/// The figures of a study (ScottPlot, PNG, DejaVu Sans): Figure 6's spectrograms, fitted parameters against
/// peak reduction, scores against peak reduction, and one fitted run. Files are written atomically.
/// </summary>
public static class Figures
{
    private const string FontName = "DejaVu Sans";
    private static readonly string[] ParameterNames = ["Threshold (dB)", "Ratio", "Attack (ms)", "Release (ms)", "Make-up gain (dB)"];

    private static Plot NewPlot()
    {
        var p = new Plot();
        p.Font.Set(FontName);
        p.Axes.Title.Label.FontSize = 16;
        p.Axes.Bottom.Label.FontSize = 14;
        p.Axes.Left.Label.FontSize = 14;
        return p;
    }

    private static void Save(Plot plot, string path, int width, int height) =>
        SaveWith(path, tmp => plot.SavePng(tmp, width, height));

    private static void Save(Multiplot plot, string path, int width, int height) =>
        SaveWith(path, tmp => plot.SavePng(tmp, width, height));

    private static void SaveWith(string path, Action<string> save)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new InputException($"{path}: figures are PNG files; name it *.png");
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.png");
        try
        {
            save(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
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
        int width = 1200, int height = 0)
    {
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
        Save(plot, outPath, width, height > 0 ? height : 300 * panels.Count + 120);
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
    public static void Params(IReadOnlyList<(string Label, List<EvalRow> Rows)> evals, string outPath, int width = 0, int height = 1300)
    {
        if (evals.Count == 0) throw new ArgumentException("no evaluation to plot");
        var plots = new List<Plot>();
        for (int p = 0; p < 5; p++)
        {
            foreach (var (label, rows) in evals)
            {
                var plot = NewPlot();
                var knots = rows.Where(r => r.PeakReduction % 10 == 0 && r.PeakReduction is >= 40 and <= 100).ToList();
                var all = plot.Add.Scatter(rows.Select(r => (double)r.PeakReduction).ToArray(), rows.Select(r => r.Settings[p]).ToArray());
                all.LegendText = "fitted";
                all.LineWidth = 0;
                all.MarkerSize = 7;
                all.MarkerShape = MarkerShape.OpenCircle;
                if (knots.Count >= 2)
                {
                    var interp = new SettingsInterpolation(knots.Select(k => ((double)k.PeakReduction, k.Settings)));
                    var xs = Enumerable.Range(0, 121).Select(i => interp.Min + i * (interp.Max - interp.Min) / 120).ToArray();
                    var spline = plot.Add.Scatter(xs, xs.Select(x => interp.Spline(x)[p]).ToArray());
                    spline.LegendText = "spline (not-a-knot)";
                    spline.MarkerSize = 0;
                    spline.LineWidth = 2;
                    var linear = plot.Add.Scatter(knots.Select(k => (double)k.PeakReduction).ToArray(), knots.Select(k => k.Settings[p]).ToArray());
                    linear.LegendText = "knots, linear";
                    linear.MarkerSize = 9;
                    linear.LineWidth = 1;
                    linear.LinePattern = LinePattern.Dashed;
                    var odd = rows.Where(r => r.PeakReduction % 10 == 5 && r.PeakReduction > interp.Min && r.PeakReduction < interp.Max).Select(r => (double)r.PeakReduction).ToArray();
                    if (odd.Length > 0)
                    {
                        var ip = plot.Add.Scatter(odd, odd.Select(x => interp.Spline(x)[p]).ToArray());
                        ip.LegendText = "spline at odd levels";
                        ip.LineWidth = 0;
                        ip.MarkerSize = 9;
                        ip.MarkerShape = MarkerShape.OpenDiamond;
                    }
                }
                plot.Title($"{ParameterNames[p]} — {label}");
                plot.XLabel("Peak reduction");
                plot.YLabel(ParameterNames[p]);
                if (p == 0) plot.ShowLegend(Alignment.UpperRight);
                else plot.HideLegend();
                plots.Add(plot);
            }
        }
        var mp = new Multiplot(plots[0]);
        foreach (var pl in plots.Skip(1)) mp.AddPlot(pl);
        mp.Layout = new ScottPlot.MultiplotLayouts.Grid(5, evals.Count);
        Save(mp, outPath, width > 0 ? width : 520 * evals.Count, height);
    }

    /// <summary>ESR and ΔLDR against peak reduction per method, one column per mode (means over recordings of a level).</summary>
    public static void Scores(IReadOnlyList<ScoreRow> rows, string outPath, int width = 0, int height = 760)
    {
        if (rows.Count == 0) throw new ArgumentException("no scores to plot");
        var modes = rows.Select(r => r.Mode).Distinct().Order().ToList();
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var plots = new List<Plot>();
        foreach (var metric in new[] { "ESR", "ΔLDR" })
        {
            foreach (int mode in modes)
            {
                var plot = NewPlot();
                foreach (var method in methods)
                {
                    var pts = rows.Where(r => r.Method == method && r.Mode == mode).GroupBy(r => r.PeakValue).OrderBy(g => g.Key)
                        .Select(g => ((double)g.Key, metric == "ESR" ? 100 * g.Average(r => r.Esr) : g.Average(r => r.Ldr))).ToArray();
                    if (pts.Length == 0) continue;
                    var s = plot.Add.Scatter(pts.Select(x => x.Item1).ToArray(), pts.Select(x => x.Item2).ToArray());
                    s.LegendText = method;
                    s.MarkerSize = 7;
                    s.LineWidth = 2;
                }
                plot.Title($"{metric} — {(mode == 0 ? "compress" : "limit")} mode");
                plot.XLabel("Peak reduction");
                plot.YLabel(metric == "ESR" ? "ESR (%, pre-filtered)" : "ΔLDR (dB)");
                plot.ShowLegend(Edge.Right);   // beside the axes, never over the curves
                plots.Add(plot);
            }
        }
        var mp = new Multiplot(plots[0]);
        foreach (var pl in plots.Skip(1)) mp.AddPlot(pl);
        mp.Layout = new ScottPlot.MultiplotLayouts.Grid(2, modes.Count);
        Save(mp, outPath, width > 0 ? width : 640 * modes.Count, height);
    }

    /// <summary>
    /// One fitted run: a few seconds of target and prediction, their gain curves (the target/input envelope
    /// against the model's smoothed gain, in dB) and the loss per Newton iteration.
    /// </summary>
    public static void Fit(string runDir, string outPath, double seconds = 3, int width = 1100, int height = 900)
    {
        var p = RunParameters.Load(runDir);
        if (p.Input is null || p.Target is null || !File.Exists(p.Input) || !File.Exists(p.Target))
            throw new InputException($"{runDir}: its training audio ({p.Input}) is not available");
        var xa = WavFile.Read(p.Input);
        var ya = WavFile.Read(p.Target);
        var x = xa.Channels[0];
        var y = ya.Channels[0];
        int sr = xa.SampleRate;
        // The loudest stretch of the recording, where the compressor works hardest.
        int win = Math.Min(x.Length, (int)(seconds * sr));
        int hop = Math.Max(1, sr / 4), best = 0;
        double bestE = -1;
        for (int s0 = 0; s0 + win <= x.Length; s0 += hop)
        {
            double e = 0;
            for (int i = s0; i < s0 + win; i += 16) e += x[i] * x[i];
            if (e > bestE) { bestE = e; best = s0; }
        }
        var c = p.Settings.ToCoefficients(sr);
        // Run the compressor from the file's start so its state at the excerpt is the real one.
        var gain = new double[best + win];
        GainComputer.Apply(x.AsSpan(0, best + win), gain, c.ThresholdDb, c.Ratio);
        Ballistics.Smooth(gain, 1, c.Attack, c.Release);
        int delay = p.Model.LookAheadSamples(sr);
        double m = Decibels.ToAmplitude(c.MakeUpDb);
        var tAxis = Enumerable.Range(0, win).Select(i => (best + i) / (double)sr).ToArray();
        var pred = Enumerable.Range(0, win).Select(i => m * gain[Math.Min(best + i + delay, best + win - 1)] * x[best + i]).ToArray();

        var wave = NewPlot();
        var tg = wave.Add.SignalXY(tAxis, Enumerable.Range(0, win).Select(i => (double)y[best + i]).ToArray());
        tg.LegendText = "target";
        var pr = wave.Add.SignalXY(tAxis, pred);
        pr.LegendText = "prediction";
        wave.Title($"{Path.GetFileName(Path.GetFullPath(runDir))}: target and prediction (ESR {100 * p.Esr:F3} % on the training frames)");
        wave.XLabel("Time (s)");
        wave.YLabel("Amplitude");
        wave.ShowLegend(Alignment.UpperRight);

        // Envelopes: one-pole smoothing of |·| (10 ms), then target/input in dB.
        double a = -double.ExpM1(-1 / (0.01 * sr)), ex = 0, ey = 0;
        var ratio = new double[win];
        for (int i = Math.Max(0, best - sr); i < best + win; i++)
        {
            ex += a * (Math.Abs(x[i]) - ex);
            ey += a * (Math.Abs(y[i]) - ey);
            if (i >= best) ratio[i - best] = 20 * Math.Log10(Math.Max(ey, 1e-9) / Math.Max(ex, 1e-9));
        }
        var gains = NewPlot();
        var g1 = gains.Add.SignalXY(tAxis, ratio);
        g1.LegendText = "target / input envelope";
        var g2 = gains.Add.SignalXY(tAxis, Enumerable.Range(0, win).Select(i => 20 * Math.Log10(m * gain[best + i])).ToArray());
        g2.LegendText = "model gain amp(M)·ĝ";
        g2.LineWidth = 2;
        gains.Title($"Gain: {p.Settings}");
        gains.XLabel("Time (s)");
        gains.YLabel("Gain (dB)");
        gains.ShowLegend(Alignment.LowerRight);

        var loss = NewPlot();
        string history = Path.Combine(runDir, FitJob.HistoryFile);
        if (File.Exists(history))
        {
            var rows = File.ReadAllLines(history).Skip(1).Select(l => l.Split(',')).Where(c2 => c2.Length > 2).ToList();
            var all = new List<double>();
            int i0 = 1;
            foreach (var stage in rows.GroupBy(r => r[0]))
            {
                // Global-stage losses are on the stage's excerpts, the fit's on all frames: one series each.
                var ys = stage.Select(r => Math.Log10(Math.Max(double.Parse(r[2], CultureInfo.InvariantCulture), 1e-300))).ToArray();
                var s = loss.Add.Scatter(Enumerable.Range(i0, ys.Length).Select(i => (double)i).ToArray(), ys);
                s.MarkerSize = 6;
                s.LegendText = stage.Key == "search" ? "global stage (its audio)" : "fit (all frames)";
                i0 += ys.Length;
                all.AddRange(ys);
            }
            if (all.Count > 0)
            {
                var ticks = LogTicks(all.Min(), all.Max());
                loss.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(q => q.Position).ToArray(), ticks.Select(q => q.Label).ToArray());
                loss.ShowLegend(Alignment.UpperRight);
            }
        }
        loss.Title($"Loss per Newton iteration (stop: {p.StopReason}, {p.Iterations} iterations)");
        loss.XLabel("Iteration");
        loss.YLabel("Loss (log scale)");

        var mp = new Multiplot(wave);
        mp.AddPlot(gains);
        mp.AddPlot(loss);
        mp.Layout = new ScottPlot.MultiplotLayouts.Rows();
        Save(mp, outPath, width, height);
    }
}
