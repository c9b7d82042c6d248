using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>
/// The fit configuration of docs/model.md §4 as one immutable record: its property initialisers are the defaults
/// (equal to the reference's, or taken from the fitting layer's own option records where they coincide), YAML files
/// and <c>dotted.key=value</c> overrides bind onto it (<see cref="FitConfigBinder"/>), and <see cref="Validate"/>
/// checks every value with messages that name the key. Keys are the snake_case property names. Newtone adds
/// <c>optimiser.tolerance</c> and the <c>search.*</c> keys of its global stage; the reference's
/// <c>optimiser.hessian_module</c>, <c>optimiser.hessian_mode</c> and <c>data.batch_size</c> are accepted and
/// ignored (the Hessian is always exact and memory does not grow with the audio).
/// </summary>
public sealed record FitConfig
{
    private static readonly NewtonOptions NewtonDefaults = new();

    /// <summary><c>model</c>: <c>ff5</c> (the paper's five parameters, default) or <c>opto</c> (docs/model.md §11).</summary>
    public ModelKind Model { get; init; } = ModelKind.Ff5;

    /// <summary><c>mode</c>: forward or inverse objective.</summary>
    public ObjectiveMode Mode { get; init; } = ObjectiveMode.Forward;

    /// <summary><c>epochs</c>: Newton iterations at most.</summary>
    public int Epochs { get; init; } = NewtonDefaults.MaxIterations;

    /// <summary><c>ckpt_dir</c>: the run directory (required to fit).</summary>
    public string? CkptDir { get; init; }

    /// <summary><c>compressor.*</c>.</summary>
    public CompressorConfig Compressor { get; init; } = new();

    /// <summary><c>optimiser.*</c>.</summary>
    public OptimiserConfig Optimiser { get; init; } = new();

    /// <summary><c>data.*</c>.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary><c>search.*</c>: Newtone's global stage (the fitting layer's own options record).</summary>
    public SearchOptions Search { get; init; } = new();

    /// <summary>The initial point in physical units.</summary>
    [JsonIgnore]
    public CompressorSettings Initial => Compressor.Inits.ToSettings();

    /// <summary>The Newton options.</summary>
    [JsonIgnore]
    public NewtonOptions Newton => new()
    {
        ConjugateGradient = Optimiser.Method == NewtonMethod.Cg,
        Alpha = Optimiser.Alpha,
        Beta = Optimiser.Beta,
        MaxLineSearch = Optimiser.MaxIter,
        MaxIterations = Epochs,
        Tolerance = Optimiser.Tolerance,
    };

    /// <summary>The parameter space at a sample rate (Hz), with the opto ranges when <see cref="Model"/> is opto.</summary>
    public ParameterSpace Space(double sampleRate) =>
        new(sampleRate, Compressor.Range.Ratio, Compressor.Range.AttackMs, Compressor.Range.ReleaseMs,
            Model == ModelKind.Opto ? Compressor.Range.ToOpto() : null);

    /// <summary>
    /// The fitting options, starting from <paramref name="warmStart"/> when given (a warm start from an ff5 run into an
    /// opto fit takes the opto extras from <c>compressor.inits</c>).
    /// </summary>
    public FitOptions ToFitOptions(CompressorModel? warmStart = null) => new()
    {
        Mode = Mode,
        Delay = Compressor.Delay,
        Newton = Newton,
        Search = Search,
        Initial = warmStart?.Settings ?? Initial,
        WarmStart = warmStart is not null,
        Model = Model,
        InitialOpto = Model == ModelKind.Opto ? warmStart?.Opto ?? Compressor.Inits.ToOpto() : Compressor.Inits.ToOpto(),
    };

    /// <summary>Checks every value; throws <see cref="ConfigException"/> naming the key.</summary>
    public FitConfig Validate()
    {
        if (Epochs < 0) throw Bad("epochs", "must not be negative", Epochs);
        Compressor.Validate();
        Optimiser.Validate();
        Data.Validate();
        var s = Search;
        if (s.Candidates < 0) throw Bad("search.candidates", "must not be negative", s.Candidates);
        if (s.Starts < 1) throw Bad("search.starts", "must be at least 1", s.Starts);
        if (!(s.Seconds > 0) || !double.IsFinite(s.Seconds)) throw Bad("search.seconds", "must be a positive number of seconds", s.Seconds);
        if (!(s.ExcerptSeconds > 0) || !double.IsFinite(s.ExcerptSeconds)) throw Bad("search.excerpt", "must be a positive number of seconds", s.ExcerptSeconds);
        if (s.ExcerptSeconds > s.Seconds) throw Bad("search.seconds", $"must hold at least one excerpt (search.excerpt = {Fmt(s.ExcerptSeconds)} s)", s.Seconds);
        if (s.Iterations < 0) throw Bad("search.iterations", "must not be negative", s.Iterations);
        if (!(s.ThresholdSpanDb > 0) || !double.IsFinite(s.ThresholdSpanDb)) throw Bad("search.threshold_span_db", "must be positive", s.ThresholdSpanDb);
        if (!(s.MinDistance >= 0) || !double.IsFinite(s.MinDistance)) throw Bad("search.min_distance", "must not be negative", s.MinDistance);
        if (!(s.Tolerance >= 0) || !double.IsFinite(s.Tolerance)) throw Bad("search.tolerance", "must not be negative", s.Tolerance);
        if (s.AbandonAfter < 0) throw Bad("search.abandon_after", "must not be negative", s.AbandonAfter);
        if (!(s.AbandonFactor >= 1) || !double.IsFinite(s.AbandonFactor)) throw Bad("search.abandon_factor", "must be at least 1", s.AbandonFactor);
        if (!(s.ContenderFactor >= 1) || !double.IsFinite(s.ContenderFactor)) throw Bad("search.contender_factor", "must be at least 1", s.ContenderFactor);
        if (!(s.WholeSetFactor >= 1) || !double.IsFinite(s.WholeSetFactor)) throw Bad("search.whole_set_factor", "must be at least 1", s.WholeSetFactor);
        return this;
    }

    /// <summary>The same configuration with every path made absolute (relative paths are taken from <paramref name="baseDirectory"/>).</summary>
    public FitConfig WithAbsolutePaths(string baseDirectory)
    {
        string? Abs(string? p) => p is null ? null : Path.GetFullPath(p, baseDirectory);
        return this with
        {
            CkptDir = Abs(CkptDir),
            Compressor = Compressor with { InitCkpt = Abs(Compressor.InitCkpt) },
            Data = Data with { Train = Data.Train with { Input = Abs(Data.Train.Input), Target = Abs(Data.Train.Target) } },
        };
    }

    /// <summary>Defaults, then the YAML file (if any), then the overrides in order; validated.</summary>
    public static FitConfig Load(string? yamlPath, IEnumerable<string> overrides) => FitConfigBinder.Load(yamlPath, overrides);

    /// <summary>The configuration as YAML (every key, resolved; loads back with <see cref="Load"/>).</summary>
    public string ToYaml() => FitConfigBinder.ToYaml(this);

    internal static ConfigException Bad(string key, string requirement, object? value) =>
        new($"{key}: {requirement}, got {YamlScalar.Format(value is int i ? (long)i : value)}");

    internal static string Fmt(double v) => v.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
}
