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
        string root = Path.GetFullPath(dir);
        string reportFull = Path.GetFullPath(outPath);
        string reportDir = Path.GetDirectoryName(reportFull)!;
        string figDir = Path.Combine(reportDir, Path.GetFileNameWithoutExtension(reportFull) + "-figures");
        var ic = CultureInfo.InvariantCulture;
        var figures = new List<string>();
        var problems = new List<string>();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(figDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        var evals = files.Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && EvalCsv.Is(f)).ToList();
        var scores = files.Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && ScoresCsv.Is(f)).ToList();
        var heldOut = files.Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && ScoresCsv.FirstLine(f) == "Peak Reduction,Recording,Family,Seconds,ESR").ToList();
        var runs = files.Where(f => Path.GetFileName(f) == FitJob.ParamsFile).Select(Path.GetDirectoryName).OfType<string>().ToList();
        var grus = files.Where(f => Path.GetFileName(f) == GruTrainer.BestFile).ToList();

        string Rel(string path) => Path.GetRelativePath(reportDir, path).Replace('\\', '/');
        string Link(string path) => $"[{Path.GetRelativePath(root, path).Replace('\\', '/')}]({Rel(path)})";
        bool Figure(string name, Action<string> draw, StringBuilder sb, string caption)
        {
            string path = Path.Combine(figDir, name);
            try
            {
                draw(path);
            }
            catch (Exception e) when (e is InputException or IOException or ArgumentException or FormatException)
            {
                problems.Add($"{caption}: {e.Message}");
                sb.Append($"*{caption}: not drawn ({e.Message}).*\n\n");
                return false;
            }
            if (!File.Exists(path)) return false;
            figures.Add(path);
            log?.Report($"  figure {Rel(path)}");
            sb.Append($"![{caption}]({Rel(path)})\n\n");
            return true;
        }

        var md = new StringBuilder();
        md.Append("# Newtone study report\n\n");
        md.Append(string.Create(ic, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by Newtone {FitJob.Version} from `{root}`: "));
        md.Append($"{evals.Count} evaluation(s), {scores.Count} score file(s), {heldOut.Count} held-out file(s), {runs.Count} fitted run(s), {grus.Count} GRU model(s).\n\n");

        if (evals.Count > 0)
        {
            md.Append("## Evaluation with interpolation (docs/model.md §6)\n\n");
            var loaded = new List<(string, List<EvalRow>)>();
            foreach (var f in evals)
            {
                var rows = EvalCsv.Read(f);
                string label = Path.GetFileNameWithoutExtension(f);
                loaded.Add((label, rows));
                md.Append($"### {label}\n\nFrom {Link(f)}. ESR in %.\n\n");
                md.Append("| Peak reduction | GT | Linear | Spline | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                foreach (var r in rows)
                    md.Append(string.Create(ic, $"| {r.PeakReduction} | {100 * r.Gt:F3} | {(r.Linear is { } l ? (100 * l).ToString("F3", ic) : "")} | {(r.Spline is { } s ? (100 * s).ToString("F3", ic) : "")} | {r.Settings.ThresholdDb:F2} | {r.Settings.Ratio:F3} | {r.Settings.AttackMs:F3} | {r.Settings.ReleaseMs:F1} | {r.Settings.MakeUpDb:F3} |\n"));
                md.Append(string.Create(ic, $"\nMean GT ESR {100 * rows.Average(r => r.Gt):F3} %"));
                var odd = rows.Where(r => r.Linear is not null).ToList();
                if (odd.Count > 0)
                    md.Append(string.Create(ic, $"; at the interpolated levels: GT {100 * odd.Average(r => r.Gt):F3} %, linear {100 * odd.Average(r => r.Linear!.Value):F3} %, spline {100 * odd.Average(r => r.Spline!.Value):F3} %"));
                md.Append(".\n\n");
                Figure($"params-{Safe(label)}.png", p => Figures.Params([(label, rows)], p), md, $"Fitted parameters against peak reduction ({label})");
            }
            if (loaded.Count > 1)
                Figure("params-all.png", p => Figures.Params(loaded, p), md, "Fitted parameters, side by side");
        }

        if (heldOut.Count > 0)
        {
            md.Append("## Held-out recordings\n\nEach level's fitted parameters on the other recordings of the same setting.\n\n");
            foreach (var f in heldOut)
            {
                var rows = File.ReadAllLines(f).Skip(1).Select(l => l.Split(',')).Where(c => c.Length == 5).ToList();
                md.Append($"From {Link(f)}: {rows.Count} recordings");
                if (rows.Count > 0)
                    md.Append(string.Create(ic, $", mean ESR {100 * rows.Average(c => double.Parse(c[4], ic)):F3} %"));
                md.Append(".\n\n| Peak reduction | Recordings | Mean ESR (%) |\n|---:|---:|---:|\n");
                foreach (var g in rows.GroupBy(c => int.Parse(c[0], ic)).OrderBy(g => g.Key))
                    md.Append(string.Create(ic, $"| {g.Key} | {g.Count()} | {100 * g.Average(c => double.Parse(c[4], ic)):F3} |\n"));
                md.Append('\n');
            }
        }

        if (scores.Count > 0)
        {
            md.Append("## Comparison (docs/model.md §8)\n\n");
            foreach (var f in scores)
            {
                var rows = ScoresCsv.Read(f);
                string label = Path.GetFileNameWithoutExtension(f);
                md.Append($"### {label}\n\nFrom {Link(f)}.\n\n| Method | Mode | Recordings | Mean ESR | Mean ΔLDR (dB) |\n|---|---|---:|---:|---:|\n");
                foreach (var s in MethodComparison.Summary(rows))
                    md.Append(string.Create(ic, $"| {s.Method} | {(s.Mode == 0 ? "compress" : "limit")} | {s.Count} | {s.Esr:F4} | {s.Ldr:F4} |\n"));
                md.Append('\n');
                Figure($"scores-{Safe(label)}.png", p => Figures.Scores(rows, p), md, $"ESR and ΔLDR against peak reduction ({label})");
            }
        }

        if (runs.Count > 0)
        {
            md.Append("## Fitted runs\n\n| Run | Setting | ESR (%) | Threshold (dB) | Ratio | Attack (ms) | Release (ms) | Make-up (dB) | Iterations | Stop |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            var loadedRuns = new List<(string Dir, RunParameters P)>();
            foreach (var r in runs)
            {
                RunParameters p;
                try { p = RunParameters.Load(r); }
                catch (InputException e) { problems.Add(e.Message); continue; }
                loadedRuns.Add((r, p));
                string setting = p.La2aMode is null ? "" : $"{p.La2aMode} {p.PeakReduction}";
                md.Append(string.Create(ic, $"| {Link(Path.Combine(r, FitJob.ParamsFile))} | {setting} | {100 * p.Esr:F3} | {p.ThresholdDb:F2} | {p.Ratio:F3} | {p.AttackMs:F3} | {p.ReleaseMs:F1} | {p.MakeUpDb:F3} | {p.Iterations} | {p.StopReason} |\n"));
            }
            md.Append('\n');
            foreach (var (r, _) in loadedRuns.Take(maxFitFigures))
            {
                string name = Path.GetRelativePath(root, r).Replace('/', '-').Replace('\\', '-');
                Figure($"fit-{Safe(name)}.png", p => Figures.Fit(r, p), md, $"Fitted run {Path.GetRelativePath(root, r)}");
            }
            if (loadedRuns.Count > maxFitFigures) md.Append($"*{loadedRuns.Count - maxFitFigures} more runs without a figure.*\n\n");
        }

        if (grus.Count > 0)
        {
            md.Append("## GRU make-up gain\n\n| Checkpoint | Epochs | Best loss | Best epoch | Stopped |\n|---|---:|---:|---:|---|\n");
            foreach (var g in grus)
            {
                try
                {
                    var c = GruCheckpoint.Load(g);
                    md.Append(string.Create(ic, $"| {Link(g)} | {c.Epoch} | {c.BestLoss:G5} | {c.BestEpoch} | {c.StopReason ?? "best so far"} |\n"));
                }
                catch (InputException e)
                {
                    problems.Add(e.Message);
                }
            }
            md.Append('\n');
        }
        if (problems.Count > 0)
        {
            md.Append("## Notes\n\n");
            foreach (var p in problems) md.Append($"- {p}\n");
            md.Append('\n');
        }
        AtomicFile.WriteText(reportFull, md.ToString());
        return new Result(reportFull, figures, problems);
    }

    private static string Safe(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
}
