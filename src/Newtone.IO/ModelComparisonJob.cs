using System.Globalization;
using System.Text;

namespace Newtone.IO;

/// <summary>
/// Honest model selection (docs/model.md §11): the same configuration fitted with every model, each into its own run
/// directory (<c>&lt;out&gt;/ff5</c>, <c>&lt;out&gt;/opto</c>), scored on the training frames and on the held-out part
/// (<c>data.holdout</c>), and summarised in <c>&lt;out&gt;/comparison.csv</c> (written atomically once every model is fitted).
/// </summary>
public static class ModelComparisonJob
{
    /// <summary>The summary file in the output directory.</summary>
    public const string CsvFile = "comparison.csv";

    /// <summary>The hold-out used when the configuration sets none.</summary>
    public const double DefaultHoldout = 0.3;

    /// <summary>The models compared, in order.</summary>
    public static readonly IReadOnlyList<ModelKind> Models = [ModelKind.Ff5, ModelKind.Opto];

    /// <summary>
    /// Fills in what a comparison needs and the user did not set: a hold-out of <see cref="DefaultHoldout"/> when
    /// <paramref name="holdoutSet"/> is false, and, when <paramref name="durationSet"/> is false and the kept audio is
    /// shorter than one default frame, a single frame as long as the kept audio (overlap a fifth of it, at most 1 s, unless
    /// <paramref name="overlapSet"/>) — the real LA-2A excerpts are 4 to 10 s long. A hold-out of 0 is refused.
    /// </summary>
    public static FitConfig WithDefaults(FitConfig config, bool holdoutSet, bool durationSet, bool overlapSet = false)
    {
        if (!holdoutSet) config = config with { Data = config.Data with { Holdout = DefaultHoldout } };
        if (!(config.Data.Holdout > 0))
            throw new ConfigException("data.holdout: a comparison needs audio held out of the fits; give a fraction in (0, 1), e.g. data.holdout=0.3");
        if (durationSet || config.Data.Train.Input is not { } input || !File.Exists(input)) return config;
        var info = WavFile.ReadInfo(input);
        double seconds = info.Seconds;
        if (config.Data.Train.End is { } end) seconds = Math.Min(seconds, end);
        if (config.Data.Train.Start is { } start) seconds -= start;
        double kept = Math.Floor(seconds * (1 - config.Data.Holdout) * 1000) / 1000;
        if (kept <= 0 || kept >= config.Data.Duration) return config;
        double overlap = overlapSet && config.Data.Overlap < kept ? config.Data.Overlap : Math.Min(1, kept / 5);
        return config with { Data = config.Data with { Duration = kept, Overlap = overlap } };
    }

    /// <summary>Fits every model of <see cref="Models"/> with <paramref name="config"/>, into <paramref name="outDir"/>/&lt;model&gt;.</summary>
    public static IReadOnlyList<ModelScore> Run(FitConfig config, string outDir, IProgress<FitEvent>? progress = null,
        CancellationToken cancel = default)
    {
        if (File.Exists(outDir)) throw new InputException($"{outDir}: is a file, not a directory (--out)");
        foreach (var kind in Models)
            if (File.Exists(Path.Combine(outDir, Name(kind))))
                throw new InputException($"{Path.Combine(outDir, Name(kind))}: is a file; the {Name(kind)} run needs this directory");
        var scores = new List<ModelScore>();
        foreach (var kind in Models)
        {
            cancel.ThrowIfCancellationRequested();
            string dir = Path.Combine(outDir, Name(kind));
            progress?.Report(new FitMessage($"model {Name(kind)} → {dir}"));
            var outcome = FitJob.Run(config with { Model = kind, CkptDir = dir }, progress, cancel);
            var p = outcome.Parameters;
            scores.Add(new ModelScore(kind, p.Logits.Length, p.Esr, p.GainOnlyEsr, p.HoldoutEsr, p.HoldoutGainOnlyEsr, p.Seconds, dir, p));
        }
        // Written once every model is fitted: an interrupted comparison leaves no summary of half of it.
        AtomicFile.WriteText(Path.Combine(outDir, CsvFile), Csv(scores));
        return scores;
    }

    /// <summary>The configuration name of a model (<c>ff5</c>, <c>opto</c>).</summary>
    public static string Name(ModelKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>comparison.csv: one row per model, ESRs as fractions.</summary>
    public static string Csv(IEnumerable<ModelScore> scores)
    {
        var sb = new StringBuilder("model,parameters,train_esr,train_gain_only_esr,holdout_esr,holdout_gain_only_esr,seconds,run\n");
        static string F(double? v) => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
        foreach (var s in scores)
            sb.Append(CultureInfo.InvariantCulture, $"{Name(s.Model)},{s.Parameters},{F(s.TrainEsr)},{F(s.TrainGainOnlyEsr)},{F(s.HoldoutEsr)},{F(s.HoldoutGainOnlyEsr)},{F(s.Seconds)},\"{s.Directory.Replace("\"", "\"\"")}\"\n");
        return sb.ToString();
    }
}
