using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>The contents of a fitted run's <c>params.json</c>.</summary>
public sealed record RunParameters
{
    /// <summary>Threshold (dB).</summary>
    public required double ThresholdDb { get; init; }

    /// <summary>Ratio.</summary>
    public required double Ratio { get; init; }

    /// <summary>Attack (ms).</summary>
    public required double AttackMs { get; init; }

    /// <summary>Release (ms).</summary>
    public required double ReleaseMs { get; init; }

    /// <summary>Make-up gain (dB).</summary>
    public required double MakeUpDb { get; init; }

    /// <summary>The model: "ff5" (docs/model.md §1) or "opto" (§11).</summary>
    [JsonPropertyName("model")]
    public string ModelName { get; init; } = "ff5";

    /// <summary>Opto model: soft-knee width (dB); null for ff5.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KneeDb { get; init; }

    /// <summary>Opto model: the slow stage's share of the smoothed gain (0–1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SlowShare { get; init; }

    /// <summary>Opto model: the slow stage's charge time (ms).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ChargeMs { get; init; }

    /// <summary>Opto model: the slow stage's release time (ms).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SlowReleaseMs { get; init; }

    /// <summary>Opto model: the side-chain emphasis κ (high-shelf gain about 1 + κ).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Emphasis { get; init; }

    /// <summary>θ = (T, uR, ua, ur, M), followed for the opto model by (uW, uφ, uc, us, uκ).</summary>
    public required double[] Logits { get; init; }

    /// <summary>Attack coefficient αa at <see cref="SampleRate"/>.</summary>
    public double AttackCoef { get; init; }

    /// <summary>Release coefficient αr.</summary>
    public double ReleaseCoef { get; init; }

    /// <summary>Sample rate the coefficients refer to.</summary>
    public required double SampleRate { get; init; }

    /// <summary>Ranges of the parameterisation.</summary>
    public required RangesJson Ranges { get; init; }

    /// <summary>"forward" or "inverse".</summary>
    public string Mode { get; init; } = "forward";

    /// <summary>Look-ahead delay (samples).</summary>
    public int Delay { get; init; }

    /// <summary>Lowest loss.</summary>
    public double Loss { get; init; }

    /// <summary>ESR (fraction) on the pre-filtered frames beyond the overlap.</summary>
    public double Esr { get; init; }

    /// <summary>Newton iterations.</summary>
    public int Iterations { get; init; }

    /// <summary>"converged", "line search" or "epochs".</summary>
    public string StopReason { get; init; } = "";

    /// <summary>Wall time of the fit (s).</summary>
    public double Seconds { get; init; }

    /// <summary>Make-up initialisation shift (dB).</summary>
    public double MakeUpShiftDb { get; init; }

    /// <summary>Mean time of one loss+gradient+Hessian evaluation (s).</summary>
    public double MeanEvaluationSeconds { get; init; }

    /// <summary>Training input file.</summary>
    public string? Input { get; init; }

    /// <summary>Training target file.</summary>
    public string? Target { get; init; }

    /// <summary>LA-2A mode of the setting this run models ("compress" or "limit"), when known.</summary>
    public string? La2aMode { get; init; }

    /// <summary>Peak-reduction setting this run models, when known.</summary>
    public int? PeakReduction { get; init; }

    /// <summary>SignalTrain recording id of the training pair, when known.</summary>
    public int? DatasetId { get; init; }

    /// <summary>What the global stage did (null when off).</summary>
    public SearchJson? Search { get; init; }

    /// <summary>ESR (a fraction) of the best constant gain on the same frames: what the compressor is measured against.</summary>
    public double? GainOnlyEsr { get; init; }

    /// <summary>The fraction of the training audio held out of the fit (<c>data.holdout</c>), or null when none was.</summary>
    public double? Holdout { get; init; }

    /// <summary>Length of the held-out part (s).</summary>
    public double? HoldoutSeconds { get; init; }

    /// <summary>
    /// ESR (a fraction) on the held-out part: the model run over the whole recording in one pass, pre-filtered, scored
    /// on the held-out samples (docs/model.md §2).
    /// </summary>
    public double? HoldoutEsr { get; init; }

    /// <summary>ESR (a fraction) of the best constant gain on the held-out samples.</summary>
    public double? HoldoutGainOnlyEsr { get; init; }

    /// <summary>Parameters that ended at or near (within 2 % of the span of) a range limit, e.g. "ratio ended at or near its upper limit (20)".</summary>
    public List<string> AtRangeLimit { get; init; } = [];

    /// <summary>Trailing Newton iterations that did not lower the lowest loss (a run that stalled spends them in vain).</summary>
    public int StalledIterations { get; init; }

    /// <summary>Version of Newtone that wrote the file.</summary>
    public string? NewtoneVersion { get; init; }

    /// <summary>The fitted settings.</summary>
    [JsonIgnore]
    public CompressorSettings Settings => new(ThresholdDb, Ratio, AttackMs, ReleaseMs, MakeUpDb);

    /// <summary>Which model the run fitted.</summary>
    [JsonIgnore]
    public ModelKind Kind => ModelName == "opto" ? ModelKind.Opto : ModelKind.Ff5;

    /// <summary>The opto model's fitted extras (null for ff5).</summary>
    [JsonIgnore]
    public OptoSettings? Opto => Kind == ModelKind.Opto ? new(KneeDb ?? 0, SlowShare ?? 0, ChargeMs ?? 1, SlowReleaseMs ?? 1, Emphasis ?? 0) : null;

    /// <summary>The stored fields of an opto model's extras (all null for ff5).</summary>
    public RunParameters WithOpto(OptoSettings? o) => this with
    {
        ModelName = o is null ? "ff5" : "opto",
        KneeDb = o?.KneeDb,
        SlowShare = o?.SlowShare,
        ChargeMs = o?.ChargeMs,
        SlowReleaseMs = o?.SlowReleaseMs,
        Emphasis = o?.Emphasis,
    };

    /// <summary>The fitted model: the settings, the opto extras (if any) and the look-ahead the run was fitted with.</summary>
    [JsonIgnore]
    public CompressorModel Model => CompressorModel.FromSamples(Settings, Delay, SampleRate) with { Opto = Opto };

    /// <summary>The parameter space the run used (with its opto ranges for an opto run).</summary>
    public ParameterSpace Space() => new(SampleRate,
        Ranges.Ratio is { } r ? new PhysicalRange(r.Min, r.Max) : null,
        Ranges.AttackMs is { } a ? new PhysicalRange(a.Min, a.Max) : null,
        Ranges.ReleaseMs is { } l ? new PhysicalRange(l.Min, l.Max) : null,
        Kind == ModelKind.Opto ? OptoRangesOf(Ranges) : null);

    private static OptoRanges OptoRangesOf(RangesJson r)
    {
        var d = OptoRanges.Default;
        static PhysicalRange Or(RangeJson? j, PhysicalRange fallback) => j is null ? fallback : new PhysicalRange(j.Min, j.Max);
        return new OptoRanges(Or(r.KneeDb, d.KneeDb), Or(r.SlowShare, d.SlowShare), Or(r.ChargeMs, d.ChargeMs),
            Or(r.SlowReleaseMs, d.SlowReleaseMs), Or(r.Emphasis, d.Emphasis));
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },   // enums by name
    };

    /// <summary>Reads params.json, or a directory holding one.</summary>
    public static RunParameters Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "params.json") : path;
        if (!File.Exists(file))
            throw new InputException(Directory.Exists(path) ? $"{path}: no params.json in this directory (not a finished run)" : $"{path}: file not found");
        RunParameters? p;
        try
        {
            p = JsonSerializer.Deserialize<RunParameters>(File.ReadAllText(file), Json);
        }
        catch (JsonException e)
        {
            // Name the field, not the .NET type: "$.knee_db" → "knee_db".
            string where = e.Path is { Length: > 2 } jsonPath ? jsonPath[2..] + ": " : "";
            string what = e.Message.Contains("could not be converted", StringComparison.Ordinal) ? "a value of the wrong type" : "malformed JSON";
            throw new InputException($"{file}: not a valid params.json ({where}{what}{(e.LineNumber is { } l ? $", line {l + 1}" : "")})", e);
        }
        if (p is null || !(p.SampleRate > 0) || p.Ranges is null)
            throw new InputException($"{file}: not a valid params.json (missing logits, sample_rate or ranges)");
        if (p.ModelName is not ("ff5" or "opto"))
            throw new InputException($"{file}: unknown model '{p.ModelName}' (expected ff5 or opto)");
        int logits = p.Kind == ModelKind.Opto ? 2 * Theta.Count : Theta.Count;
        if (p.Logits is null || p.Logits.Length != logits)
            throw new InputException($"{file}: {(p.Kind == ModelKind.Opto ? "an opto" : "an ff5")} run has {logits} logits, not {p.Logits?.Length ?? 0}"
                + (p.Kind == ModelKind.Ff5 && p.Logits?.Length == 2 * Theta.Count ? " (is its \"model\": \"opto\" missing?)" : ""));
        if (p.Kind == ModelKind.Opto && (p.KneeDb is null || p.SlowShare is null || p.ChargeMs is null || p.SlowReleaseMs is null || p.Emphasis is null))
            throw new InputException($"{file}: an opto run needs knee_db, slow_share, charge_ms, slow_release_ms and emphasis");
        try
        {
            _ = p.Model;
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{file}: not a valid model ({e.Message.Split(" (Parameter")[0]})", e);
        }
        return p;
    }

    /// <summary>Writes params.json atomically.</summary>
    public void Save(string file) => AtomicFile.WriteText(file, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The stored ranges of a space.</summary>
    public static RangesJson RangesOf(ParameterSpace space) => new(
        space.RatioRange is { } r ? new RangeJson(r.Min, r.Max) : null,
        space.AttackRangeMs is { } a ? new RangeJson(a.Min, a.Max) : null,
        space.ReleaseRangeMs is { } l ? new RangeJson(l.Min, l.Max) : null,
        J(space.Opto?.KneeDb), J(space.Opto?.SlowShare), J(space.Opto?.ChargeMs), J(space.Opto?.SlowReleaseMs), J(space.Opto?.Emphasis));

    private static RangeJson? J(PhysicalRange? r) => r is { } v ? new RangeJson(v.Min, v.Max) : null;
}
