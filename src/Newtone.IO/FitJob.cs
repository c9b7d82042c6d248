using System.Globalization;
using System.Reflection;
using System.Text;

namespace Newtone.IO;

/// <summary>
/// One <c>newtone fit</c>: configuration → checked audio → fit → run directory
/// (<c>config.yaml</c>, <c>history.csv</c>, then <c>params.json</c> last, each written atomically, so a
/// directory with params.json is a finished run). Nothing is written when the input is bad.
/// </summary>
public static class FitJob
{
    /// <summary>File names in a run directory.</summary>
    public const string ParamsFile = "params.json", ConfigFile = "config.yaml", HistoryFile = "history.csv";

    /// <summary>Version string written into params.json.</summary>
    public static string Version => typeof(FitJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>Runs the fit a configuration describes; <paramref name="label"/> records which LA-2A setting it models.</summary>
    public static FitOutcome Run(FitConfig config, IProgress<FitEvent>? progress = null, CancellationToken cancel = default, RunLabel? label = null)
    {
        string dir = config.CkptDir ?? throw new ConfigException("ckpt_dir: required (where the fitted parameters go); give ckpt_dir=<dir>");
        string input = config.Data.Train.Input ?? throw new ConfigException("data.train.input: required (the recording fed to the compressor); give data.train.input=<wav>");
        string target = config.Data.Train.Target ?? throw new ConfigException("data.train.target: required (the same recording through the compressor); give data.train.target=<wav>");
        if (File.Exists(dir)) throw new InputException($"{dir}: ckpt_dir is a file, not a directory");
        RunParameters? warm = config.Compressor.InitCkpt is { } ckpt ? RunParameters.Load(ckpt) : null;
        double duration = config.Data.Duration, overlap = config.Data.Overlap;
        double holdout = config.Data.Holdout;
        var (all, allTarget) = TrainingPair.Load(input, target, config.Data.Train.Start, config.Data.Train.End,
            holdout > 0 ? null : sr => FrameLength(sr, duration, overlap));
        // With a hold-out, the fit sees only the first 1 − h of the audio; the rest is scored after the fit.
        int split = HoldOutScore.Split(all.Length, holdout);
        var (x, y) = holdout > 0 ? (all.Slice(0, split), allTarget.Slice(0, split)) : (all, allTarget);
        if (holdout > 0)
        {
            int need = FrameLength(x.SampleRate, duration, overlap);
            // At least 100 ms held out: a score over a handful of samples says nothing.
            if (x.Length < need || all.Length - split < all.SampleRate / 10)
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"{input}: with data.holdout={holdout:G} the fit keeps {x.Seconds:F3} s of {all.Seconds:F3} s and holds out {all.Seconds - x.Seconds:F3} s; one frame needs {(double)need / x.SampleRate:G4} s and the held-out part at least 0.1 s: adjust data.duration or data.holdout"));
        }
        var layout = FrameLayout.FromSeconds(x.SampleRate, duration, overlap);
        if (config.Compressor.Delay >= layout.FrameLength)
            throw new ConfigException($"compressor.delay: {config.Compressor.Delay} samples must be shorter than a frame ({layout.FrameLength} samples)");
        var space = Space(config, x.SampleRate, warm?.Settings ?? config.Initial);
        if (config.Model == ModelKind.Ff5 && (config.Compressor.Inits.ToOpto() != new InitsConfig().ToOpto() || config.Compressor.Range.ToOpto() != new RangeConfig().ToOpto()))
            progress?.Report(new FitMessage("note: the opto keys of compressor.inits / compressor.range are ignored with model=ff5 (set model=opto to use them)"));
        if (config.Model == ModelKind.Opto && warm?.Opto is null)
        {
            // Name the extras that start on or outside their ranges (the fitter moves them just inside).
            var i = config.Compressor.Inits;
            var r = config.Compressor.Range;
            foreach (var (key, v, range) in new[] { ("knee_db", i.KneeDb, r.KneeDb), ("slow_share", i.SlowShare, r.SlowShare),
                ("charge_ms", i.ChargeMs, r.ChargeMs), ("slow_release_ms", i.SlowReleaseMs, r.SlowReleaseMs), ("emphasis", i.Emphasis, r.Emphasis) })
                if (!(v > range.Min && v < range.Max))
                    progress?.Report(new FitMessage(FormattableString.Invariant(
                        $"note: compressor.inits.{key} = {v:G} lies on or outside compressor.range.{key} ({range.Min:G}..{range.Max:G}); the fit starts just inside")));
        }
        if (warm is not null && warm.Kind != config.Model)
            progress?.Report(new FitMessage(config.Model == ModelKind.Opto
                ? "warm start from an ff5 run: the opto extras start from compressor.inits"
                : "warm start from an opto run: its opto extras are dropped"));
        var data = new TrainingSet(x.Channels, y.Channels, x.SampleRate, layout);
        progress?.Report(new FitMessage(string.Create(CultureInfo.InvariantCulture,
            $"training on {x.Seconds:F2} s × {x.ChannelCount} channel(s) at {x.SampleRate} Hz: {data.Frames.Count} frames of {duration:G4} s (overlap {overlap:G4} s), mode {config.Mode.ToString().ToLowerInvariant()}")));
        if (warm is not null)
            progress?.Report(new FitMessage($"warm start from {config.Compressor.InitCkpt}: {warm.Model}"));

        var result = Fitter.Fit(data, space, config.ToFitOptions(warm?.Model), progress, cancel);
        HoldOutScore? held = holdout > 0 ? HoldOutScore.Measure(all.Channels, allTarget.Channels, result.Model, all.SampleRate, split) : null;
        var c = result.Settings.ToCoefficients(x.SampleRate);
        var parameters = new RunParameters
        {
            ThresholdDb = result.Settings.ThresholdDb,
            Ratio = result.Settings.Ratio,
            AttackMs = result.Settings.AttackMs,
            ReleaseMs = result.Settings.ReleaseMs,
            MakeUpDb = result.Settings.MakeUpDb,
            Logits = result.Theta.ToArray(),
            AttackCoef = c.Attack,
            ReleaseCoef = c.Release,
            SampleRate = x.SampleRate,
            Ranges = RunParameters.RangesOf(space),
            Mode = config.Mode == ObjectiveMode.Forward ? "forward" : "inverse",
            Delay = config.Compressor.Delay,
            Loss = result.Loss,
            Esr = result.Esr,
            Iterations = result.Iterations,
            StopReason = StopName(result.Stop),
            Seconds = result.Seconds,
            MakeUpShiftDb = result.MakeUpShiftDb,
            MeanEvaluationSeconds = result.MeanDerivativeSeconds,
            Input = Path.GetFullPath(input),
            Target = Path.GetFullPath(target),
            Search = result.Search is { } s ? new SearchJson(s.Candidates, s.Seed, s.AudioSeconds, s.Excerpts, s.Winner, s.Seconds,
                s.Starts.Select(st => new SearchStartJson(st.Label, Array(st.Start, st.StartOpto), Array(st.End, st.EndOpto), st.StageLoss,
                    double.IsNaN(st.FullLoss) ? null : st.FullLoss, st.Iterations)).ToList()) : null,
            GainOnlyEsr = data.GainOnlyEsr(),
            Holdout = holdout > 0 ? holdout : null,
            HoldoutSeconds = held is null ? null : all.Seconds - x.Seconds,
            HoldoutEsr = held?.Esr,
            HoldoutGainOnlyEsr = held?.GainOnlyEsr,
            AtRangeLimit = AtLimits(result.Settings, space, result.Model.Opto),
            StalledIterations = Stalled(result.History),
            NewtoneVersion = Version,
            La2aMode = label?.Mode.Name(),
            PeakReduction = label?.PeakReduction,
            DatasetId = label?.DatasetId,
        };

        Directory.CreateDirectory(dir);
        // A run is complete exactly when params.json is there: remove an old one before replacing its companions,
        // so a refit that fails midway never leaves new files beside old parameters.
        File.Delete(Path.Combine(dir, ParamsFile));
        AtomicFile.WriteText(Path.Combine(dir, ConfigFile), config.WithAbsolutePaths(Environment.CurrentDirectory).ToYaml());
        AtomicFile.WriteText(Path.Combine(dir, HistoryFile), HistoryCsv(result.History));
        parameters = parameters.WithOpto(result.Model.Opto);
        parameters.Save(Path.Combine(dir, ParamsFile));
        return new FitOutcome(result, parameters, dir, x.Seconds);
    }

    /// <summary>The parameters that ended within 2 % of the range's span (on a log scale for times) of a range limit.</summary>
    internal static List<string> AtLimits(CompressorSettings s, ParameterSpace space, OptoSettings? opto = null)
    {
        var list = new List<string>();
        void Check(string name, double v, PhysicalRange? r, string unit)
        {
            if (r is not { } range) return;
            // Time constants span decades (0.1–100 ms): nearness is measured on a log scale there, so a 1 ms attack is
            // not "near" 0.1 ms; the other ranges are linear.
            bool log = unit == " ms" && range.Min > 0;
            double Map(double x) => log ? Math.Log(x) : x;
            double lo = Map(range.Min), hi = Map(range.Max), at = Map(Math.Max(v, log ? double.Epsilon : v));
            double tol = 0.02 * (hi - lo);
            if (at - lo <= tol) list.Add(FormattableString.Invariant($"{name} ended at or near its lower limit ({range.Min:G}{unit})"));
            else if (hi - at <= tol) list.Add(FormattableString.Invariant($"{name} ended at or near its upper limit ({range.Max:G}{unit})"));
        }
        Check("ratio", s.Ratio, space.RatioRange, "");
        Check("attack", s.AttackMs, space.AttackRangeMs, " ms");
        Check("release", s.ReleaseMs, space.ReleaseRangeMs, " ms");
        if (opto is not null && space.Opto is { } r)
        {
            // The knee and the share sit at 0 when the opto model falls back to ff5's behaviour: worth saying too.
            Check("knee", opto.KneeDb, r.KneeDb, " dB");
            Check("slow share", opto.SlowShare, r.SlowShare, "");
            Check("charge", opto.ChargeMs, r.ChargeMs, " ms");
            Check("slow release", opto.SlowReleaseMs, r.SlowReleaseMs, " ms");
            Check("emphasis", opto.Emphasis, r.Emphasis, "");
        }
        return list;
    }

    /// <summary>Trailing iterations of the final stage whose loss did not go below the lowest loss before them.</summary>
    internal static int Stalled(IReadOnlyList<IterationRecord> history)
    {
        var fit = history.Where(r => r.Stage == "fit").ToList();
        if (fit.Count == 0) return 0;
        int last = fit.Count;
        double best = double.PositiveInfinity;
        for (int i = 0; i < fit.Count; i++)
        {
            if (fit[i].Loss < best * (1 - 1e-12)) { best = fit[i].Loss; last = i; }
        }
        return fit.Count - 1 - last;
    }

    /// <summary>
    /// The parameter space at the recording's rate, checked: every range must map to finite coefficients there and the
    /// initial point must map to finite logits (values such as a 1e-300 ms attack are valid YAML but not a compressor).
    /// </summary>
    private static ParameterSpace Space(FitConfig config, int sampleRate, CompressorSettings initial)
    {
        ParameterSpace space;
        try
        {
            space = config.Space(sampleRate);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"compressor.range: {e.Message.Split(" (Parameter")[0]} at {sampleRate} Hz");
        }
        bool finite;
        try
        {
            var theta = space.FromSettings(initial, out _);
            var back = space.ToSettings(theta);
            finite = theta.IsFinite && double.IsFinite(back.Ratio) && double.IsFinite(back.AttackMs) && double.IsFinite(back.ReleaseMs)
                && back.AttackMs > 0 && back.ReleaseMs > 0;
        }
        catch (ArgumentException)
        {
            finite = false;
        }
        if (!finite)
            throw new ConfigException(FormattableString.Invariant(
                $"compressor.inits / compressor.range: the initial point ({initial}) does not map to finite parameters at {sampleRate} Hz with these ranges; choose ranges a compressor can have"));
        return space;
    }

    private static int FrameLength(int sampleRate, double duration, double overlap)
    {
        try
        {
            return FrameLayout.FromSeconds(sampleRate, duration, overlap).FrameLength;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ConfigException(FormattableString.Invariant(
                $"data.duration: {duration:G} s with data.overlap {overlap:G} s at {sampleRate} Hz: {e.Message.Split(" (Parameter")[0]}"));
        }
    }

    /// <summary>The stop reason as written in params.json.</summary>
    public static string StopName(StopReason r) => r switch
    {
        StopReason.Converged => "converged",
        StopReason.LineSearch => "line search",
        _ => "epochs",
    };

    /// <summary>Physical parameters in order: the five settings, then for the opto model its five extras.</summary>
    private static double[] Array(CompressorSettings s, OptoSettings? o) => o is null
        ? [s.ThresholdDb, s.Ratio, s.AttackMs, s.ReleaseMs, s.MakeUpDb]
        : [s.ThresholdDb, s.Ratio, s.AttackMs, s.ReleaseMs, s.MakeUpDb, o.KneeDb, o.SlowShare, o.ChargeMs, o.SlowReleaseMs, o.Emphasis];

    /// <summary>history.csv: one row per iteration.</summary>
    public static string HistoryCsv(IEnumerable<IterationRecord> history)
    {
        var rows = history.ToList();
        bool opto = rows.Any(r => r.Opto is not null);
        var sb = new StringBuilder("stage,iteration,loss,decrement,step,tries,esr_percent,threshold_db,ratio,attack_ms,release_ms,make_up_db,direction,seconds");
        // The opto model's extras (docs/model.md §11) after the ff5 columns.
        sb.Append(opto ? ",knee_db,slow_share,charge_ms,slow_release_ms,emphasis\n" : "\n");
        foreach (var r in rows)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{r.Stage},{r.Iteration},{r.Loss:R},{r.Decrement:R},{r.StepLength:R},{r.Tries},{r.EsrPercent:R},{r.Settings.ThresholdDb:R},{r.Settings.Ratio:R},{r.Settings.AttackMs:R},{r.Settings.ReleaseMs:R},{r.Settings.MakeUpDb:R},{r.Kind.ToString().ToLowerInvariant()},{r.Seconds:R}"));
            if (opto && r.Opto is { } o)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $",{o.KneeDb:R},{o.SlowShare:R},{o.ChargeMs:R},{o.SlowReleaseMs:R},{o.Emphasis:R}"));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
