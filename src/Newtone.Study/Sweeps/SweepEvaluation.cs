using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>
/// The evaluation with interpolation of docs/model.md §6: the GT ESR of every level, and the ESR of parameters
/// interpolated from the knots 40, 50, …, 100 at 45, 55, …, 95 (linear: mean of the two neighbours;
/// spline: not-a-knot cubic through the knots), all on each level's own recording.
/// </summary>
public static class SweepEvaluation
{
    /// <summary>The two header lines of the reference's evaluation CSV, byte for byte.</summary>
    public const string Header =
        "Peak Reduction,ESR,,,Threshold (dB),Ratio,Attack (ms),Release (ms), Make-up Gain (dB)\n" +
        ",GT,Linear Interpolation,Spline Interpolation,,,,,\n";

    /// <summary>Checks that every run used the same ranges and sample rate (interpolating across different maps is meaningless).</summary>
    public static void CheckConsistent(IReadOnlyList<SweepRun> runs)
    {
        if (runs.Count == 0) throw new InputException("no finished runs (la2a_<peak>/params.json) to evaluate");
        var first = runs[0];
        if (runs.FirstOrDefault(r => r.Parameters.Kind != first.Parameters.Kind) is { } other)
            throw new InputException($"{other.Directory}: a {other.Parameters.ModelName} run, but {first.Directory} is a {first.Parameters.ModelName} run; interpolate runs of one model");
        foreach (var r in runs.Skip(1))
        {
            if (r.Parameters.Ranges != first.Parameters.Ranges)
                throw new InputException($"{r.Directory}: its parameter ranges ({Describe(r.Parameters.Ranges)}) differ from {first.Directory}'s ({Describe(first.Parameters.Ranges)}); fit every level with the same compressor.range.*");
            if (r.Parameters.Model.LookAheadMs != first.Parameters.Model.LookAheadMs)
                throw new InputException(FormattableString.Invariant($"{r.Directory}: its look-ahead ({r.Parameters.Delay} samples) differs from {first.Directory}'s ({first.Parameters.Delay}); fit every level with the same compressor.delay"));
            if (r.Parameters.SampleRate != first.Parameters.SampleRate)
                throw new InputException($"{r.Directory}: sample rate {r.Parameters.SampleRate} Hz differs from {first.Directory}'s {first.Parameters.SampleRate} Hz");
        }
        if (runs.Select(r => r.Mode).Distinct().Count() > 1)
            throw new InputException("the runs mix compress and limit mode; evaluate each mode's folder on its own");
    }

    private static string Describe(RangesJson r) => string.Create(CultureInfo.InvariantCulture,
        $"ratio {R(r.Ratio)}, attack {R(r.AttackMs)} ms, release {R(r.ReleaseMs)} ms")
        + (r.KneeDb is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $", knee {R(r.KneeDb)} dB, slow share {R(r.SlowShare)}, charge {R(r.ChargeMs)} ms, slow release {R(r.SlowReleaseMs)} ms, emphasis {R(r.Emphasis)}"));

    private static string R(RangeJson? r) => r is null ? "unbounded" : string.Create(CultureInfo.InvariantCulture, $"{r.Min:G}–{r.Max:G}");

    /// <summary>Evaluates one mode's runs; <paramref name="pairOf"/> gives each level's (input, target) recording.</summary>
    public static List<LevelScores> Evaluate(IReadOnlyList<SweepRun> runs, Func<SweepRun, (string Input, string Target)> pairOf,
        int maxThreads = 0, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        CheckConsistent(runs);
        var knots = runs.Where(r => r.PeakReduction % 10 == 0 && r.PeakReduction >= 40 && r.PeakReduction <= 100)
            .Select(r => ((double)r.PeakReduction, r.Parameters.Settings, r.Parameters.Opto)).ToList();
        var interp = knots.Count >= 2 ? new SettingsInterpolation(knots) : null;
        var byLevel = runs.ToDictionary(r => r.PeakReduction);
        var results = new LevelScores[runs.Count];
        int finished = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.For(0, runs.Count, opts, i =>
        {
            var run = runs[i];
            int p = run.PeakReduction;
            var model = run.Parameters.Model;
            var list = new List<CompressorModel> { model };
            CompressorModel? lin = null, spl = null;
            bool odd = p % 10 == 5 && interp is not null && byLevel.ContainsKey(p - 5) && byLevel.ContainsKey(p + 5)
                && p - 5 >= 40 && p + 5 <= 100;
            if (odd)
            {
                // Every parameter interpolated (the opto model's extras too), the look-ahead kept.
                lin = interp!.Linear(model, p);
                spl = interp.Spline(model, p);
                list.Add(lin);
                list.Add(spl);
            }
            var (input, target) = pairOf(run);
            var esr = FileEsr.Compute(input, target, list, cancel);
            results[i] = new LevelScores(p, esr[0], odd ? esr[1] : null, odd ? esr[2] : null, run.Parameters.Settings,
                lin?.Settings, spl?.Settings, model.Opto);
            progress?.Report(new WorkProgress(Interlocked.Increment(ref finished), runs.Count, "levels", $"la2a_{p}"));
        });
        return results.OrderBy(r => r.PeakReduction).ToList();
    }

    /// <summary>The opto model's extra columns, after the reference's (docs/model.md §11).</summary>
    public const string OptoColumns = ",Knee (dB),Slow Share,Charge (ms),Slow Release (ms),Emphasis";

    /// <summary>
    /// The CSV of docs/model.md §6 (the reference's layout: two header lines, empty interpolation cells on knots). For
    /// the opto model the rows gain the extras' columns after the reference's ones (<see cref="OptoColumns"/>).
    /// </summary>
    public static string Csv(IEnumerable<LevelScores> rows)
    {
        var list = rows.ToList();
        bool opto = list.Any(r => r.Opto is not null);
        var sb = new StringBuilder(opto
            ? Header.Split('\n')[0] + OptoColumns + "\n" + Header.Split('\n')[1] + ",,,,,\n"
            : Header);
        foreach (var r in list)
        {
            var s = r.Settings;
            sb.Append(r.PeakReduction.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(Py(r.Gt)).Append(',')
              .Append(r.Linear is { } l ? Py(l) : "").Append(',')
              .Append(r.Spline is { } sp ? Py(sp) : "").Append(',')
              .Append(Py(s.ThresholdDb)).Append(',').Append(Py(s.Ratio)).Append(',').Append(Py(s.AttackMs)).Append(',')
              .Append(Py(s.ReleaseMs)).Append(',').Append(Py(s.MakeUpDb));
            if (opto && r.Opto is { } o)
                sb.Append(',').Append(Py(o.KneeDb)).Append(',').Append(Py(o.SlowShare)).Append(',').Append(Py(o.ChargeMs)).Append(',')
                  .Append(Py(o.SlowReleaseMs)).Append(',').Append(Py(o.Emphasis));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A float as Python's repr writes it (shortest round trip; 'e' exponents; integral values with ".0").</summary>
    public static string Py(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        string r = v.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // .NET "1E-05" → Python "1e-05"
            var parts = r.Split('E');
            string exp = parts[1];
            string sign = exp.StartsWith('-') ? "-" : "+";
            string digits = exp.TrimStart('+', '-').PadLeft(2, '0');
            return parts[0] + "e" + sign + digits;
        }
        return r.Contains('.') ? r : r + ".0";
    }

    /// <summary>
    /// Beyond the reference: each level's fitted parameters on every other recording of the same setting
    /// in the dataset (the 2c files, other folders), a held-out generalisation figure.
    /// </summary>
    public static List<HeldOutScore> HeldOut(IReadOnlyList<SweepRun> runs, SignalTrainIndex index, Func<SweepRun, string> trainingTarget,
        int maxThreads = 0, CancellationToken cancel = default)
    {
        var jobs = new List<(SweepRun Run, SignalTrainPair Pair)>();
        foreach (var run in runs)
        {
            string own = Path.GetFullPath(trainingTarget(run));
            foreach (var pair in index.Setting(run.Mode, run.PeakReduction))
                if (!string.Equals(Path.GetFullPath(pair.TargetPath), own, StringComparison.Ordinal)) jobs.Add((run, pair));
        }
        var scores = new HeldOutScore[jobs.Count];
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancel };
        Parallel.For(0, jobs.Count, opts, i =>
        {
            var (run, pair) = jobs[i];
            double esr = FileEsr.Compute(pair.InputPath, pair.TargetPath, [run.Parameters.Model], cancel)[0];
            scores[i] = new HeldOutScore(run.PeakReduction, pair.RelativePath, pair.Family, pair.Seconds, esr);
        });
        return scores.OrderBy(s => s.PeakReduction).ThenBy(s => s.Recording, StringComparer.Ordinal).ToList();
    }

    /// <summary>The held-out CSV.</summary>
    public static string HeldOutCsv(IEnumerable<HeldOutScore> scores)
    {
        var sb = new StringBuilder("Peak Reduction,Recording,Family,Seconds,ESR\n");
        foreach (var s in scores)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{s.PeakReduction},{s.Recording},{s.Family},{s.Seconds:F3},{Py(s.Esr)}\n"));
        return sb.ToString();
    }
}
