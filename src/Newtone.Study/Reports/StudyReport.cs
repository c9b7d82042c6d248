using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>
/// Gathers a study's CSVs (evaluations, scores, held-out ESRs), fitted runs and GRU checkpoints found under a
/// folder into one Markdown page with tables and figures (generated beside the report). Only files that exist
/// are linked.
/// </summary>
public static class StudyReport
{
    /// <summary>What the report contains.</summary>
    /// <param name="Path">The Markdown file.</param>
    /// <param name="Figures">Figures written.</param>
    /// <param name="Problems">Things that could not be drawn, and why.</param>
    public sealed record Result(string Path, List<string> Figures, List<string> Problems);

    /// <summary>Writes the report.</summary>
    public static Result Write(string dir, string outPath, int maxFitFigures = 24, IProgress<string>? log = null)
    {
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: folder not found");
        var b = new Builder(Path.GetFullPath(dir), Path.GetFullPath(outPath), log);
        var files = Directory.EnumerateFiles(b.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(b.FigureDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        bool Csv(string f) => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var evals = files.Where(f => Csv(f) && EvalCsv.Is(f)).ToList();
        var scores = files.Where(f => Csv(f) && ScoresCsv.Is(f)).ToList();
        var heldOut = files.Where(f => Csv(f) && ScoresCsv.FirstLine(f) == "Peak Reduction,Recording,Family,Seconds,ESR").ToList();
        var runs = files.Where(f => Path.GetFileName(f) == FitJob.ParamsFile).Select(Path.GetDirectoryName).OfType<string>().ToList();
        var grus = files.Where(f => Path.GetFileName(f) == GruTrainer.BestFile).ToList();

        b.Md.Append("# Newtone study report\n\n");
        b.Md.Append(string.Create(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by Newtone {FitJob.Version} from `{b.Root}`: "));
        b.Md.Append($"{evals.Count} evaluation(s), {scores.Count} score file(s), {heldOut.Count} held-out file(s), {runs.Count} fitted run(s), {grus.Count} GRU model(s).\n\n");
        if (evals.Count > 0) b.Evaluations(evals);
        if (heldOut.Count > 0) b.HeldOut(heldOut);
        if (scores.Count > 0) b.Scores(scores);
        if (runs.Count > 0) b.Runs(runs, maxFitFigures);
        if (grus.Count > 0) b.Grus(grus);
        b.Notes();
        AtomicFile.WriteText(b.ReportPath, b.Md.ToString());
        return new Result(b.ReportPath, b.Figures, b.Problems);
    }

    /// <summary>The report being written: its Markdown, figures and problems, one method per section.</summary>
    private sealed class Builder(string root, string reportPath, IProgress<string>? log)
    {
        private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;
        private readonly string _reportDir = Path.GetDirectoryName(reportPath)!;

        public string Root { get; } = root;
        public string ReportPath { get; } = reportPath;
        public string FigureDir { get; } = Path.Combine(Path.GetDirectoryName(reportPath)!, Path.GetFileNameWithoutExtension(reportPath) + "-figures");
        public StringBuilder Md { get; } = new();
        public List<string> Figures { get; } = [];
        public List<string> Problems { get; } = [];

        private string Rel(string path) => Path.GetRelativePath(_reportDir, path).Replace('\\', '/');

        private string Link(string path) => $"[{Path.GetRelativePath(Root, path).Replace('\\', '/')}]({Rel(path)})";

        /// <summary>Draws a figure into the figure folder and links it, or notes why it could not be drawn.</summary>
        private void Figure(string name, Action<string> draw, string caption)
        {
            string path = Path.Combine(FigureDir, name);
            try
            {
                draw(path);
            }
            catch (Exception e) when (e is InputException or IOException or ArgumentException or FormatException)
            {
                Problems.Add($"{caption}: {e.Message}");
                Md.Append($"*{caption}: not drawn ({e.Message}).*\n\n");
                return;
            }
            if (!File.Exists(path)) return;
            Figures.Add(path);
            log?.Report($"  figure {Rel(path)}");
            Md.Append($"![{caption}]({Rel(path)})\n\n");
        }

        public void Evaluations(List<string> evals)
        {
            Md.Append("## Evaluation with interpolation (docs/model.md §6)\n\n");
            var loaded = new List<(string, List<EvalRow>)>();
            foreach (var f in evals)
            {
                var rows = EvalCsv.Read(f);
                string label = Path.GetFileNameWithoutExtension(f);
                loaded.Add((label, rows));
                Md.Append($"### {label}\n\nFrom {Link(f)}. ESR in %.\n\n");
                Md.Append("| Peak reduction | GT ESR (%) | Linear ESR (%) | Spline ESR (%) | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                foreach (var r in rows)
                    Md.Append(string.Create(Ic, $"| {r.PeakReduction} | {100 * r.Gt:F3} | {(r.Linear is { } l ? (100 * l).ToString("F3", Ic) : "")} | {(r.Spline is { } s ? (100 * s).ToString("F3", Ic) : "")} | {r.Settings.ThresholdDb:F2} | {r.Settings.Ratio:F3} | {r.Settings.AttackMs:F3} | {r.Settings.ReleaseMs:F1} | {r.Settings.MakeUpDb:F3} |\n"));
                Md.Append(string.Create(Ic, $"\nMean GT ESR {100 * rows.Average(r => r.Gt):F3} %"));
                var odd = rows.Where(r => r.Linear is not null).ToList();
                if (odd.Count > 0)
                    Md.Append(string.Create(Ic, $"; at the interpolated levels: GT {100 * odd.Average(r => r.Gt):F3} %, linear {100 * odd.Average(r => r.Linear!.Value):F3} %, spline {100 * odd.Average(r => r.Spline!.Value):F3} %"));
                Md.Append(".\n\n");
                Figure($"params-{Safe(label)}.png", p => Study.Figures.Params([(label, rows)], p), $"Fitted parameters against peak reduction ({label})");
            }
            if (loaded.Count > 1)
                Figure("params-all.png", p => Study.Figures.Params(loaded, p), "Fitted parameters, side by side");
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
                Figure($"scores-{Safe(label)}.png", p => Study.Figures.Scores(rows, p), $"ESR and ΔLDR against peak reduction ({label})");
            }
        }

        public void Runs(List<string> runs, int maxFitFigures)
        {
            Md.Append("## Fitted runs\n\n| Run | Setting | ESR (%) | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) | Look-ahead (samples) | Iterations | Stop |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            var loadedRuns = new List<(string Dir, RunParameters P)>();
            foreach (var r in runs)
            {
                RunParameters p;
                try { p = RunParameters.Load(r); }
                catch (InputException e) { Problems.Add(e.Message); continue; }
                loadedRuns.Add((r, p));
                string setting = p.La2aMode is null ? "" : $"{p.La2aMode} {p.PeakReduction}";
                Md.Append(string.Create(Ic, $"| {Link(Path.Combine(r, FitJob.ParamsFile))} | {setting} | {100 * p.Esr:F3} | {p.ThresholdDb:F2} | {p.Ratio:F3} | {p.AttackMs:F3} | {p.ReleaseMs:F1} | {p.MakeUpDb:F3} | {p.Delay} | {p.Iterations} | {p.StopReason} |\n"));
            }
            Md.Append('\n');
            foreach (var (r, _) in loadedRuns.Take(maxFitFigures))
            {
                string name = Path.GetRelativePath(Root, r).Replace('/', '-').Replace('\\', '-');
                Figure($"fit-{Safe(name)}.png", p => Study.Figures.Fit(r, p), $"Fitted run {Path.GetRelativePath(Root, r)}");
            }
            if (loadedRuns.Count > maxFitFigures) Md.Append($"*{loadedRuns.Count - maxFitFigures} more runs without a figure.*\n\n");
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
