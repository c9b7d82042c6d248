using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>
/// Gathers a study's CSVs (evaluations, scores, held-out ESRs), fitted runs, GRU checkpoints and Figure 6 (a spectrogram
/// the study already has) found under a folder into one Markdown page with tables and figures (generated beside the
/// report as PNGs, with SVG and PDF copies on request). Levels and runs are in numerical order, every number carries its
/// unit, and only files that exist are linked.
/// </summary>
public static class StudyReport
{
    /// <summary>What the report contains.</summary>
    /// <param name="Path">The Markdown file.</param>
    /// <param name="Figures">Figure files written, every format of each.</param>
    /// <param name="Problems">Things that could not be drawn, and why.</param>
    public sealed record Result(string Path, List<string> Figures, List<string> Problems);

    /// <summary>
    /// Writes the report. Its figures go to <c>&lt;name&gt;-figures/</c> beside it: always as PNG (what the Markdown shows),
    /// and also as SVG and/or PDF when <paramref name="figures"/> asks for them (linked under each figure).
    /// </summary>
    public static Result Write(string dir, string outPath, int maxFitFigures = 24, IProgress<string>? log = null, FigureFormats figures = FigureFormats.Png)
    {
        ArgumentNullException.ThrowIfNull(outPath);
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: folder not found");
        if ((figures & ~FigureFormats.All) != 0) throw new ArgumentOutOfRangeException(nameof(figures), "PNG, SVG and PDF are the formats");
        var b = new Builder(Path.GetFullPath(dir), Path.GetFullPath(outPath), log, figures | FigureFormats.Png);
        var files = Directory.EnumerateFiles(b.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(b.FigureDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))   // temporary files of outputs being written
            .OrderBy(f => Path.GetRelativePath(b.Root, f), NaturalOrder.Instance).ToList();
        bool Csv(string f) => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var evals = files.Where(f => Csv(f) && EvalCsv.Is(f)).ToList();
        var scores = files.Where(f => Csv(f) && ScoresCsv.Is(f)).ToList();
        var heldOut = files.Where(f => Csv(f) && ScoresCsv.FirstLine(f) == "Peak Reduction,Recording,Family,Seconds,ESR").ToList();
        var runs = files.Where(f => Path.GetFileName(f) == FitJob.ParamsFile).Select(Path.GetDirectoryName).OfType<string>().ToList();
        var grus = files.Where(f => Path.GetFileName(f) == GruTrainer.BestFile).ToList();
        var spectrograms = files.Where(IsSpectrogram).ToList();
        // The report may replace an earlier report, never a file it reads.
        string outName = Path.GetFileName(b.ReportPath);
        PathGuard.OutputIsNotInput(b.ReportPath, [.. new[] { evals, scores, heldOut, runs.Select(r => Path.Combine(r, FitJob.ParamsFile)).ToList(), grus, spectrograms }
            .SelectMany(f => f).Where(f => string.Equals(Path.GetFileName(f), outName, StringComparison.OrdinalIgnoreCase))]);

        b.Md.Append("# Newtone study report\n\n");
        b.Md.Append(string.Create(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by Newtone {FitJob.Version} from `{b.Root}`: "));
        b.Md.Append($"{evals.Count} evaluation(s), {scores.Count} score file(s), {heldOut.Count} held-out file(s), {runs.Count} fitted run(s), {grus.Count} GRU model(s), {spectrograms.Select(Stem).Distinct().Count()} spectrogram figure(s).\n\n");
        b.Md.Append("Units: ESR in % (pre-filtered, docs/model.md §2 and §8; the CSVs store it as a fraction), threshold, make-up and ΔLDR in dB, attack and release in ms, look-ahead in samples; peak reduction is the LA-2A's knob setting (0–100).\n\n");
        if (evals.Count > 0) b.Evaluations(evals);
        if (heldOut.Count > 0) b.HeldOut(heldOut);
        if (scores.Count > 0) b.Scores(scores);
        if (spectrograms.Count > 0) b.Spectrograms(spectrograms);
        if (runs.Count > 0) b.Runs(runs, maxFitFigures);
        if (grus.Count > 0) b.Grus(grus);
        b.DrawFigures();
        b.Notes();
        AtomicFile.WriteText(b.ReportPath, b.Md.ToString());
        return new Result(b.ReportPath, b.Figures, b.Problems);
    }

    /// <summary>
    /// True for Figure 6 as a study keeps it: a PNG, SVG or PDF named <c>figure6.*</c> or with "spectrogram" in its name.
    /// </summary>
    private static bool IsSpectrogram(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant(), stem = Path.GetFileNameWithoutExtension(path);
        return ext is ".png" or ".svg" or ".pdf"
            && (stem.Equals("figure6", StringComparison.OrdinalIgnoreCase) || stem.Contains("spectrogram", StringComparison.OrdinalIgnoreCase));
    }

    private static string Stem(string path) => Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path));

    /// <summary>The report being written: its Markdown, figures and problems, one method per section.</summary>
    private sealed class Builder(string root, string reportPath, IProgress<string>? log, FigureFormats formats)
    {
        private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;
        private readonly string _reportDir = Path.GetDirectoryName(reportPath)!;

        public string Root { get; } = root;
        public string ReportPath { get; } = reportPath;
        public string FigureDir { get; } = Path.Combine(Path.GetDirectoryName(reportPath)!, Path.GetFileNameWithoutExtension(reportPath) + "-figures");
        public StringBuilder Md { get; } = new();
        public List<string> Figures { get; } = [];
        public List<string> Problems { get; } = [];

        private readonly List<(List<string> Paths, Action<IReadOnlyList<string>> Draw, string Caption)> _figures = [];

        private string Rel(string path) => Path.GetRelativePath(_reportDir, path).Replace('\\', '/');

        private string Link(string path) => $"[{Path.GetRelativePath(Root, path).Replace('\\', '/')}]({Rel(path)})";

        /// <summary>
        /// Places a figure: <paramref name="name"/> (without extension) in the figure folder, as PNG and the vector copies
        /// asked for, shown with its copies linked beneath, or a note saying why it could not be drawn. The drawing itself
        /// waits for <see cref="DrawFigures"/>, which draws all of them in parallel.
        /// </summary>
        private void Figure(string name, Action<IReadOnlyList<string>> draw, string caption)
        {
            var paths = new List<string> { Path.Combine(FigureDir, name + ".png") };
            if (formats.HasFlag(FigureFormats.Svg)) paths.Add(Path.Combine(FigureDir, name + ".svg"));
            if (formats.HasFlag(FigureFormats.Pdf)) paths.Add(Path.Combine(FigureDir, name + ".pdf"));
            Md.Append(Placeholder(_figures.Count));
            _figures.Add((paths, draw, caption));
        }

        private static string Placeholder(int i) => $"\u0001figure {i}\u0001";

        /// <summary>Draws the figures placed so far (in parallel, each on its own) and puts each one's Markdown in its place.</summary>
        public void DrawFigures()
        {
            var done = new (string Md, string? Problem)[_figures.Count];
            Parallel.For(0, _figures.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var (paths, draw, caption) = _figures[i];
                try
                {
                    draw(paths);
                }
                catch (Exception e) when (e is InputException or IOException or ArgumentException or FormatException)
                {
                    done[i] = ($"*{caption}: not drawn ({e.Message}).*\n\n", $"{caption}: {e.Message}");
                    return;
                }
                var md = new StringBuilder($"![{caption}]({Rel(paths[0])})\n\n");
                if (paths.Count > 1)
                    md.Append("Vector copies: ").Append(string.Join(" · ", paths.Skip(1).Select(w => $"[{Path.GetExtension(w)[1..].ToUpperInvariant()}]({Rel(w)})"))).Append("\n\n");
                done[i] = (md.ToString(), null);
            });
            for (int i = 0; i < done.Length; i++)
            {
                var paths = _figures[i].Paths;
                if (done[i].Problem is { } problem) Problems.Add(problem);
                else
                {
                    Figures.AddRange(paths);
                    log?.Report($"  figure {Rel(paths[0])}{(paths.Count > 1 ? $" (+ {string.Join(", ", paths.Skip(1).Select(Path.GetExtension))})" : "")}");
                }
                Md.Replace(Placeholder(i), done[i].Md);
            }
            _figures.Clear();
        }

        public void Evaluations(List<string> evals)
        {
            Md.Append("## Evaluation with interpolation (docs/model.md §6)\n\n");
            var loaded = new List<(string, List<EvalRow>)>();
            foreach (var f in evals)
            {
                var rows = EvalCsv.Read(f).OrderBy(r => r.PeakReduction).ToList();
                string label = Path.GetFileNameWithoutExtension(f);
                loaded.Add((label, rows));
                Md.Append($"### {label}\n\nFrom {Link(f)}. ESR in %.\n\n");
                bool opto = rows.Count > 0 && rows.All(r => r.Opto is not null);
                Md.Append("| Peak reduction | GT ESR (%) | Linear ESR (%) | Spline ESR (%) | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) |"
                    + (opto ? " Knee (dB) | Slow share | Charge (ms) | Slow release (ms) | Emphasis |" : "")
                    + "\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (opto ? "---:|---:|---:|---:|---:|" : "") + "\n");
                foreach (var r in rows)
                {
                    Md.Append(string.Create(Ic, $"| {r.PeakReduction} | {100 * r.Gt:F3} | {(r.Linear is { } l ? (100 * l).ToString("F3", Ic) : "")} | {(r.Spline is { } s ? (100 * s).ToString("F3", Ic) : "")} | {r.Settings.ThresholdDb:F2} | {r.Settings.Ratio:F3} | {r.Settings.AttackMs:F3} | {r.Settings.ReleaseMs:F1} | {r.Settings.MakeUpDb:F3} |"));
                    if (opto && r.Opto is { } o)
                        Md.Append(string.Create(Ic, $" {o.KneeDb:F2} | {o.SlowShare:F3} | {o.ChargeMs:F1} | {o.SlowReleaseMs:F1} | {o.Emphasis:F3} |"));
                    Md.Append('\n');
                }
                Md.Append(string.Create(Ic, $"\nMean GT ESR {100 * rows.Average(r => r.Gt):F3} %"));
                var odd = rows.Where(r => r.Linear is not null).ToList();
                if (odd.Count > 0)
                    Md.Append(string.Create(Ic, $"; at the interpolated levels: GT {100 * odd.Average(r => r.Gt):F3} %, linear {100 * odd.Average(r => r.Linear!.Value):F3} %, spline {100 * odd.Average(r => r.Spline!.Value):F3} %"));
                Md.Append(".\n\n");
                Figure($"params-{Safe(label)}", p => Study.Figures.Params([(label, rows)], p), $"Fitted parameters against peak reduction ({label})");
            }
            if (loaded.Count > 1)
                Figure("params-all", p => Study.Figures.Params(loaded, p), "Fitted parameters, side by side");
        }

        public void HeldOut(List<string> heldOut)
        {
            Md.Append("## Held-out recordings\n\nEach level's fitted parameters on the other recordings of the same setting.\n\n");
            foreach (var f in heldOut)
            {
                var rows = File.ReadAllLines(f).Skip(1).Select(l => l.Split(',')).Where(c => c.Length == 5).ToList();
                Md.Append($"From {Link(f)}: {rows.Count} recordings");
                if (rows.Count > 0)
                    Md.Append(string.Create(Ic, $", mean ESR {100 * rows.Average(c => double.Parse(c[4], Ic)):F3} %"));
                Md.Append(".\n\n| Peak reduction | Recordings | Mean ESR (%) |\n|---:|---:|---:|\n");
                foreach (var g in rows.GroupBy(c => int.Parse(c[0], Ic)).OrderBy(g => g.Key))
                    Md.Append(string.Create(Ic, $"| {g.Key} | {g.Count()} | {100 * g.Average(c => double.Parse(c[4], Ic)):F3} |\n"));
                Md.Append('\n');
            }
        }

        public void Scores(List<string> scores)
        {
            Md.Append("## Comparison (docs/model.md §8)\n\n");
            foreach (var f in scores)
            {
                var rows = ScoresCsv.Read(f);
                string label = Path.GetFileNameWithoutExtension(f);
                Md.Append($"### {label}\n\nFrom {Link(f)}.\n\n| Method | Mode | Recordings | Mean ESR (%) | Mean ΔLDR (dB) |\n|---|---|---:|---:|---:|\n");
                foreach (var s in MethodComparison.Summary(rows))
                    Md.Append(string.Create(Ic, $"| {s.Method} | {(s.Mode == 0 ? "compress" : "limit")} | {s.Count} | {100 * s.Esr:F3} | {s.Ldr:F4} |\n"));
                Md.Append('\n');
                Figure($"scores-{Safe(label)}", p => Study.Figures.Scores(rows, p), $"ESR and ΔLDR against peak reduction ({label})");
            }
        }

        public void Runs(List<string> runs, int maxFitFigures)
        {
            Md.Append("## Fitted runs\n\n| Run | Setting | Objective | ESR (%) | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) | Look-ahead (samples) | Iterations | Stop |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            var loadedRuns = new List<(string Dir, RunParameters P)>();
            foreach (var r in runs)
            {
                RunParameters p;
                try { p = RunParameters.Load(r); }
                catch (InputException e) { Problems.Add(e.Message); continue; }
                loadedRuns.Add((r, p));
                string setting = p.La2aMode is null ? "" : $"{p.La2aMode} {p.PeakReduction}";
                string objective = IsInverse(p) ? "**inverse**" : p.Mode;
                Md.Append(string.Create(Ic, $"| {Link(Path.Combine(r, FitJob.ParamsFile))} | {setting} | {objective} | {100 * p.Esr:F3} | {p.ThresholdDb:F2} | {p.Ratio:F3} | {p.AttackMs:F3} | {p.ReleaseMs:F1} | {p.MakeUpDb:F3} | {p.Delay} | {p.Iterations} | {p.StopReason} |\n"));
            }
            Md.Append('\n');
            int inverse = loadedRuns.Count(r => IsInverse(r.P));
            if (inverse > 0)
                Md.Append($"{inverse} run(s) marked **inverse** fit the inverse objective (`mode: inverse`, docs/model.md §2): the gain is computed from the pre-filtered input and their ESR compares target ÷ gain with the input, so it does not compare directly with the forward runs' ESR against the target.\n\n");
            foreach (var (r, rp) in loadedRuns.Take(maxFitFigures))
            {
                string name = Path.GetRelativePath(Root, r).Replace('/', '-').Replace('\\', '-');
                Figure($"fit-{Safe(name)}", p => Study.Figures.Fit(r, p), $"Fitted run {Path.GetRelativePath(Root, r)}{(IsInverse(rp) ? " (inverse objective)" : "")}");
            }
            if (loadedRuns.Count > maxFitFigures) Md.Append($"*{loadedRuns.Count - maxFitFigures} more runs without a figure.*\n\n");
        }

        private static bool IsInverse(RunParameters p) => string.Equals(p.Mode, "inverse", StringComparison.OrdinalIgnoreCase);

        /// <summary>Figure 6 as the study has it (<c>figure6.*</c> or a spectrogram's file): the PNG (else the SVG) shown, every format linked.</summary>
        public void Spectrograms(List<string> files)
        {
            Md.Append("## Figure 6: spectrograms (docs/model.md §8)\n\n");
            Md.Append("The original's log-frequency spectrogram and, per method, that of original − method; dB relative to the original's maximum.\n\n");
            foreach (var group in files.GroupBy(Stem).OrderBy(g => Path.GetRelativePath(Root, g.Key), NaturalOrder.Instance))
            {
                var byExt = group.GroupBy(f => Path.GetExtension(f).ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
                string caption = $"Figure 6 ({Path.GetRelativePath(Root, group.Key).Replace('\\', '/')})";
                string? shown = byExt.GetValueOrDefault(".png") ?? byExt.GetValueOrDefault(".svg");
                if (shown is not null) Md.Append($"![{caption}]({Rel(shown)})\n\n");
                Md.Append(shown is null ? $"{caption}: " : "Files: ");
                Md.Append(string.Join(" · ", new[] { ".png", ".svg", ".pdf" }.Where(byExt.ContainsKey).Select(e => $"[{e[1..].ToUpperInvariant()}]({Rel(byExt[e])})")));
                Md.Append("\n\n");
            }
        }

        public void Grus(List<string> grus)
        {
            Md.Append("## GRU make-up gain\n\n| Checkpoint | Epochs | Best loss (ESR %) | Best epoch | Stopped |\n|---|---:|---:|---:|---|\n");
            foreach (var g in grus)
            {
                try
                {
                    var c = GruCheckpoint.Load(g);
                    Md.Append(string.Create(Ic, $"| {Link(g)} | {c.Epoch} | {100 * c.BestLoss:F3} | {c.BestEpoch} | {c.StopReason ?? "best so far"} |\n"));
                }
                catch (InputException e)
                {
                    Problems.Add(e.Message);
                }
            }
            Md.Append('\n');
        }

        public void Notes()
        {
            if (Problems.Count == 0) return;
            Md.Append("## Notes\n\n");
            foreach (var p in Problems) Md.Append($"- {p}\n");
            Md.Append('\n');
        }
    }

    private static string Safe(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
}
