using System.Globalization;
using ScottPlot;

namespace Newtone.Study;

/// <summary>
/// The figure of one fitted run (<see cref="Figures.Fit(string, IReadOnlyList{string}, double, int, int)"/>): the loudest
/// seconds of target and prediction, the residual beneath them on its own scale, the measured gain against the model's,
/// and the ESR per Newton iteration — the global stage (on its own audio) and the final fit (all training frames) in
/// separate panels, since their numbers measure different audio.
/// </summary>
internal static class FitFigure
{
    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;
    private static readonly Color TargetColour = new ScottPlot.Palettes.Category10().GetColor(0);
    private static readonly Color ModelColour = new ScottPlot.Palettes.Category10().GetColor(1);
    private static readonly Color ResidualColour = new ScottPlot.Palettes.Category10().GetColor(3);

    /// <summary>What the panel of a run without a single Newton iteration says.</summary>
    public const string NoIterationsNote = "No Newton iterations: the run stopped before its first step (e.g. epochs = 0)";

    public static FigurePage Draw(string runDir, RunParameters p, double seconds, int width, int height)
    {
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), "the excerpt's length must be positive");
        var xa = WavFile.Read(p.Input!);
        var ya = WavFile.Read(p.Target!);
        if (xa.SampleRate != ya.SampleRate) throw new InputException($"{p.Target}: sample rate {ya.SampleRate} Hz differs from the input's {xa.SampleRate} Hz");
        var x = xa.Channels[0];
        var y = ya.Channels[0];
        int sr = xa.SampleRate, length = Math.Min(x.Length, y.Length);
        if (length == 0) throw new InputException($"{p.Input}: no audio");
        bool inverse = string.Equals(p.Mode, "inverse", StringComparison.OrdinalIgnoreCase);

        // The loudest stretch of the recording, where the compressor works hardest.
        int win = Math.Min(length, Math.Max(1, (int)(seconds * sr)));
        int hop = Math.Max(1, sr / 4), best = 0;
        double bestE = -1;
        for (int s0 = 0; s0 + win <= length; s0 += hop)
        {
            double e = 0;
            for (int i = s0; i < s0 + win; i += 16) e += x[i] * x[i];
            if (e > bestE) { bestE = e; best = s0; }
        }
        // Run the compressor from the file's start so its state at the excerpt is the real one. The inverse objective
        // computes the gain from the pre-filtered input (docs/model.md §2); its prediction of the target is the same product.
        var gain = new double[best + win];
        ReadOnlySpan<float> detector = x.AsSpan(0, best + win);
        if (inverse)
        {
            var filtered = new float[best + win];
            var pre = new PreFilter();
            for (int i = 0; i < filtered.Length; i++) filtered[i] = (float)pre.Next(x[i]);
            detector = filtered;
        }
        new CompressorProcessor(p.Model with { LookAheadMs = 0 }, sr).GainEnvelope(detector, gain);   // ff5 or opto
        int delay = p.Model.LookAheadSamples(sr);
        double m = Decibels.ToAmplitude(p.Settings.MakeUpDb);
        var tAxis = new double[win];
        var target = new double[win];
        var pred = new double[win];
        var residual = new double[win];
        double sumR = 0, sumT = 0;
        for (int i = 0; i < win; i++)
        {
            tAxis[i] = (best + i) / (double)sr;
            target[i] = y[best + i];
            pred[i] = m * gain[Math.Min(best + i + delay, best + win - 1)] * x[best + i];
            residual[i] = target[i] - pred[i];
            sumR += residual[i] * residual[i];
            sumT += target[i] * target[i];
        }

        string name = Path.GetFileName(Path.GetFullPath(runDir).TrimEnd(Path.DirectorySeparatorChar));
        var wave = Figures.NewPlot();
        var tg = wave.Add.SignalXY(tAxis, target);
        tg.LegendText = "target";
        tg.Color = TargetColour;
        tg.LineWidth = 1.5f;
        var pr = wave.Add.SignalXY(tAxis, pred);
        pr.LegendText = "prediction";
        pr.Color = ModelColour.WithAlpha(0.8);   // the target shows through where the two part
        string esr = string.Create(Ic, $"ESR {100 * p.Esr:F3} % on the training frames");
        wave.Title(inverse
            ? $"{name} (inverse-mode fit): target and prediction; {esr}, measured against the input"
            : $"{name}: target and prediction; {esr}");
        wave.XLabel("Time (s)");
        wave.YLabel("Amplitude (full scale)");
        Legend(wave);

        var res = Figures.NewPlot();
        var rs = res.Add.SignalXY(tAxis, residual);
        rs.LegendText = "target − prediction";
        rs.Color = ResidualColour;
        res.Title(string.Create(Ic, $"Residual on its own scale: {100 * sumR / Math.Max(sumT, 1e-300):F3} % of the target's energy here (not pre-filtered)"));
        res.XLabel("Time (s)");
        res.YLabel("Residual (full scale)");
        Legend(res);

        var gains = Figures.NewPlot();
        var ratio = GainEnvelope.RatioDb(x, y, sr, best, win, out double floor);
        var model = new double[win];
        for (int i = 0; i < win; i++) model[i] = 20 * Math.Log10(Math.Max(m * gain[best + i], 1e-12));
        double lo = model.Min(), hi = model.Max();
        bool first = true;
        foreach (var (from, count) in Runs(ratio))
        {
            var seg = gains.Add.SignalXY(tAxis[from..(from + count)], ratio[from..(from + count)]);
            seg.Color = TargetColour;
            if (first) seg.LegendText = string.Create(Ic, $"target / input envelope (shown where the input is above {floor:F0} dBFS)");
            first = false;
            for (int i = from; i < from + count; i++) (lo, hi) = (Math.Min(lo, ratio[i]), Math.Max(hi, ratio[i]));
        }
        var g2 = gains.Add.SignalXY(tAxis, model);
        g2.LegendText = "model gain amp(M)·ĝ";
        g2.Color = ModelColour;
        g2.LineWidth = 2;
        double pad = Math.Max(0.5, 0.06 * (hi - lo));
        gains.Axes.SetLimitsY(lo - pad, hi + pad);
        gains.Title(first
            ? string.Create(Ic, $"Gain: {Describe(p)} (the input never rises above {floor:F0} dBFS here: no envelope ratio)")
            : $"Gain: {Describe(p)}");
        gains.XLabel("Time (s)");
        gains.YLabel("Gain (dB)");
        Legend(gains);

        foreach (var panel in new[] { wave, res, gains }) panel.Axes.SetLimitsX(tAxis[0], tAxis[^1]);
        var page = new FigurePage(width, height);
        float h1 = 0.23f * height, h2 = 0.19f * height, h3 = 0.24f * height, h4 = height - h1 - h2 - h3;
        FigurePage.AlignColumn([(wave, width, (int)h1), (res, width, (int)h2), (gains, width, (int)h3)]);
        page.Add(wave, 0, 0, width, h1);
        page.Add(res, 0, h1, width, h2);
        page.Add(gains, 0, h1 + h2, width, h3);
        var loss = LossPanels(runDir, p);
        float w = width / (float)loss.Count;
        for (int k = 0; k < loss.Count; k++) page.Add(loss[k], k * w, h1 + h2 + h3, w, h4);
        return page;
    }

    /// <summary>The fitted settings for a title: the five, and the opto extras on a second line.</summary>
    private static string Describe(RunParameters p) => p.Opto is { } o ? $"{p.Settings}\n{o}" : p.Settings.ToString();

    /// <summary>The legend in one row above the data, where it hides none of it.</summary>
    private static void Legend(Plot plot)
    {
        plot.ShowLegend(Edge.Top);
        plot.Legend.Orientation = Orientation.Horizontal;
    }

    /// <summary>The stretches of finite values: (first index, length).</summary>
    internal static IEnumerable<(int From, int Count)> Runs(double[] values)
    {
        int i = 0;
        while (i < values.Length)
        {
            while (i < values.Length && !double.IsFinite(values[i])) i++;
            int from = i;
            while (i < values.Length && double.IsFinite(values[i])) i++;
            if (i > from) yield return (from, i - from);
        }
    }

    /// <summary>The ESR per iteration: one panel per stage, or one panel saying there is nothing to draw.</summary>
    private static List<Plot> LossPanels(string runDir, RunParameters p)
    {
        var history = FitHistory.Read(Path.Combine(runDir, FitJob.HistoryFile));
        var search = history.Of("search");
        var fit = history.Of("fit");
        string unit = history.IsEsrPercent ? "ESR (%)" : "Loss (sum of squares)";
        if (search.Count == 0 && fit.Count == 0 && history.Stages.Count == 0)
            return [Note($"{unit} per Newton iteration", string.Create(Ic, $"{NoIterationsNote}; stop: {p.StopReason}, {p.Iterations} iterations."))];
        var panels = new List<Plot>();
        if (search.Count > 0)
        {
            string audio = p.Search is { } s ? string.Create(Ic, $"{s.AudioSeconds:0.#} s of audio in {s.Excerpts} frame(s)") : "its own audio";
            panels.Add(Iterations(search, unit, $"Global stage: winning start, {audio}"));
        }
        if (fit.Count > 0)
            panels.Add(Iterations(fit, unit, $"Final run: all training frames, stop: {p.StopReason}"));
        else if (search.Count > 0)
            panels.Add(Note("Final run: all training frames", $"No iterations after the global stage:\nits result is final (stop: {p.StopReason})."));
        foreach (var (stage, rows) in history.Stages)
            if (stage is not "search" and not "fit" && rows.Count > 0) panels.Add(Iterations(rows, unit, $"Stage '{stage}'"));
        return panels;
    }

    private static Plot Iterations(IReadOnlyList<(int Iteration, double Value)> rows, string unit, string title)
    {
        var plot = Figures.NewPlot();
        var xs = rows.Select(r => (double)r.Iteration).ToArray();
        var values = rows.Select(r => r.Value).ToArray();
        double min = values.Where(v => v > 0).DefaultIfEmpty(0).Min(), max = values.Max(), low = values.Min();
        bool log = min > 0 && max / min >= 10;
        // Changes far below the value itself (a converged run) are drawn against an offset, which the label states,
        // instead of as a column of identical tick labels.
        bool offset = !log && max - low <= 1e-3 * Math.Abs(max);
        var ys = log ? values.Select(Math.Log10).ToArray() : offset ? values.Select(v => v - low).ToArray() : values;
        string label = unit;
        if (log)
        {
            var ticks = Figures.LogTicks(Math.Log10(min), Math.Log10(max));
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(q => q.Position).ToArray(), ticks.Select(q => q.Label).ToArray());
            label = $"{unit}, log scale";
        }
        else if (offset)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("G3", Ic) };
            if (max == low)
            {
                // Every iteration ended at the same value: draw it as it is, on a narrow axis around it.
                ys = values;
                double half = Math.Max(1e-3 * Math.Abs(low), 1e-12);
                plot.Axes.SetLimitsY(low - half, low + half);
                plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("G7", Ic) };
                title += "; unchanged";
            }
            else
            {
                label = string.Create(Ic, $"{unit} − {low:G10}");
            }
        }
        var s = plot.Add.Scatter(xs, ys);
        s.MarkerSize = 6;
        s.Color = TargetColour;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(xs.Min() - 0.5, xs.Max() + 0.5);
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 14;
        plot.XLabel("Newton iteration");
        plot.YLabel(label);
        return plot;
    }

    /// <summary>A panel without axes that says, in words, why there is nothing to draw.</summary>
    internal static Plot Note(string title, string text)
    {
        var plot = Figures.NewPlot();
        plot.HideAxesAndGrid();
        plot.Axes.SetLimits(0, 1, 0, 1);
        var t = plot.Add.Text(text, 0.5, 0.5);
        t.LabelFontName = Figures.FontName;
        t.LabelFontSize = 14;
        t.LabelAlignment = Alignment.MiddleCenter;
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 14;
        return plot;
    }
}
