using System.Globalization;
using Newtone.Dynamics;
using Newtone.Fitting;

namespace Newtone.Configuration;

/// <summary>
/// The fit configuration of SPEC §4: built-in defaults equal to the reference's, an optional YAML
/// file, and <c>dotted.key=value</c> overrides (values parsed as YAML scalars). Unknown keys and
/// malformed values are errors that name the key. Newtone adds <c>optimiser.tolerance</c> and the
/// <c>search.*</c> keys of its global stage; the reference's <c>optimiser.hessian_module</c> and
/// <c>optimiser.hessian_mode</c> are accepted (and ignored: the Hessian is always exact).
/// </summary>
public sealed class FitConfig
{
    private static readonly string[] NullableMappings = ["compressor.range.ratio", "compressor.range.attack_ms", "compressor.range.release_ms"];

    private FitConfig(Dictionary<string, object?> tree) => Tree = tree;

    /// <summary>The resolved configuration tree.</summary>
    public Dictionary<string, object?> Tree { get; }

    /// <summary>The defaults (SPEC §4, plus Newtone's keys).</summary>
    public static Dictionary<string, object?> Defaults() => new()
    {
        ["mode"] = "forward",
        ["epochs"] = 100L,
        ["ckpt_dir"] = null,
        ["compressor"] = new Dictionary<string, object?>
        {
            ["inits"] = new Dictionary<string, object?>
            {
                ["threshold"] = -36L, ["ratio"] = 4L, ["attack_ms"] = 1L, ["release_ms"] = 200L, ["make_up_gain"] = 0L,
            },
            ["range"] = new Dictionary<string, object?>
            {
                ["ratio"] = new Dictionary<string, object?> { ["min"] = 1L, ["max"] = 20L },
                ["attack_ms"] = new Dictionary<string, object?> { ["min"] = 0.1, ["max"] = 100L },
                ["release_ms"] = new Dictionary<string, object?> { ["min"] = 10L, ["max"] = 1000L },
            },
            ["init_ckpt"] = null,
            ["delay"] = 0L,
        },
        ["optimiser"] = new Dictionary<string, object?>
        {
            ["method"] = "direct",
            ["alpha"] = 0.0001,
            ["beta"] = 0.5,
            ["max_iter"] = 20L,
            ["tolerance"] = 1e-10,
            ["hessian_module"] = "autograd",
            ["hessian_mode"] = "revrev",
        },
        ["data"] = new Dictionary<string, object?>
        {
            ["duration"] = 12L,
            ["overlap"] = 1L,
            ["batch_size"] = -1L,
            ["train"] = new Dictionary<string, object?>
            {
                ["input"] = null, ["target"] = null, ["start"] = null, ["end"] = null,
            },
        },
        ["search"] = new Dictionary<string, object?>
        {
            ["enabled"] = true,
            ["candidates"] = 64L,
            ["starts"] = 4L,
            ["seconds"] = 32L,
            ["excerpt"] = 4L,
            ["iterations"] = 40L,
            ["seed"] = 0L,
        },
    };

    /// <summary>Defaults, then the YAML file (if any), then the overrides, in order.</summary>
    public static FitConfig Load(string? yamlPath, IEnumerable<string> overrides)
    {
        var tree = Defaults();
        if (yamlPath is not null)
        {
            if (!File.Exists(yamlPath)) throw new ConfigException($"{yamlPath}: file not found");
            object? doc;
            try
            {
                doc = YamlScalar.ParseDocument(File.ReadAllText(yamlPath));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new ConfigException($"{yamlPath}: not valid YAML ({e.Message})");
            }
            if (doc is Dictionary<string, object?> map) Merge(tree, Defaults(), map, "", yamlPath);
            else if (doc is not null) throw new ConfigException($"{yamlPath}: expected a mapping of keys at the top level");
        }
        foreach (string o in overrides) ApplyOverride(tree, o);
        var config = new FitConfig(tree);
        config.Validate();
        return config;
    }

    /// <summary>From an existing tree (e.g. a run's config.yaml, or a sweep's per-level tree).</summary>
    public static FitConfig FromTree(Dictionary<string, object?> user, string source)
    {
        var tree = Defaults();
        Merge(tree, Defaults(), user, "", source);
        var config = new FitConfig(tree);
        config.Validate();
        return config;
    }

    /// <summary>A copy with more overrides applied.</summary>
    public FitConfig With(params string[] overrides)
    {
        var copy = DeepCopy(Tree);
        foreach (string o in overrides) ApplyOverride(copy, o);
        var config = new FitConfig(copy);
        config.Validate();
        return config;
    }

    /// <summary>Applies one <c>dotted.key=value</c> override in place.</summary>
    public static void ApplyOverride(Dictionary<string, object?> tree, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"override '{assignment}': expected key=value");
        string key = assignment[..eq].Trim();
        string text = assignment[(eq + 1)..].Trim();
        object? value;
        try
        {
            value = YamlScalar.ParseValue(text);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            throw new ConfigException($"{key}: cannot parse the value '{text}' as YAML");
        }
        var parts = key.Split('.');
        Dictionary<string, object?> node = tree;
        Dictionary<string, object?>? schema = Defaults();
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            string path = string.Join('.', parts[..(i + 1)]);
            if (schema is null || !schema.TryGetValue(part, out var schemaChild))
                throw new ConfigException($"unknown key '{path}'");
            if (i == parts.Length - 1)
            {
                if (schemaChild is Dictionary<string, object?> sm)
                {
                    if (value is null && NullableMappings.Contains(path)) { node[part] = null; return; }
                    if (value is not Dictionary<string, object?> vm)
                        throw new ConfigException($"{path}: expected a mapping of {string.Join(", ", sm.Keys)}");
                    var merged = node[part] as Dictionary<string, object?> ?? DeepCopy(sm);
                    Merge(merged, sm, vm, path + ".", "override");
                    node[part] = merged;
                }
                else
                {
                    node[part] = value;
                }
                return;
            }
            if (schemaChild is not Dictionary<string, object?> childSchema)
                throw new ConfigException($"unknown key '{key}' ('{path}' is a value, not a section)");
            if (node[part] is not Dictionary<string, object?> child)
            {
                child = DeepCopy(childSchema);
                node[part] = child;
            }
            node = child;
            schema = childSchema;
        }
    }

    private static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> schema, Dictionary<string, object?> user, string prefix, string source)
    {
        foreach (var (key, value) in user)
        {
            string path = prefix + key;
            if (!schema.TryGetValue(key, out var s))
                throw new ConfigException($"{source}: unknown key '{path}'");
            if (s is Dictionary<string, object?> sm)
            {
                if (value is null && NullableMappings.Contains(path)) { target[key] = null; continue; }
                if (value is not Dictionary<string, object?> vm)
                    throw new ConfigException($"{source}: {path}: expected a mapping of {string.Join(", ", sm.Keys)}");
                if (target[key] is not Dictionary<string, object?> tm) target[key] = tm = DeepCopy(sm);
                Merge(tm, sm, vm, path + ".", source);
            }
            else
            {
                target[key] = value;
            }
        }
    }

    private static Dictionary<string, object?> DeepCopy(Dictionary<string, object?> d) =>
        d.ToDictionary(kv => kv.Key, kv => kv.Value is Dictionary<string, object?> c ? DeepCopy(c) : kv.Value);

    private object? Get(string path)
    {
        object? node = Tree;
        foreach (string part in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(part, out node)) return null;
        }
        return node;
    }

    private double Number(string path, Func<double, bool>? valid = null, string? requirement = null)
    {
        var v = Get(path);
        double d = v switch
        {
            long l => l,
            double x => x,
            _ => throw new ConfigException($"{path}: expected a number, got {Describe(v)}"),
        };
        if (!double.IsFinite(d) || (valid is not null && !valid(d)))
            throw new ConfigException($"{path}: {requirement ?? "expected a finite number"}, got {YamlScalar.Format(v)}");
        return d;
    }

    private double? OptionalNumber(string path) => Get(path) is null ? null : Number(path);

    private long Integer(string path, long min)
    {
        var v = Get(path);
        if (v is not long l) throw new ConfigException($"{path}: expected an integer, got {Describe(v)}");
        if (l < min) throw new ConfigException($"{path}: must be at least {min}, got {l}");
        return l;
    }

    private string? Text(string path)
    {
        var v = Get(path);
        return v switch
        {
            null => null,
            string s => s,
            _ => throw new ConfigException($"{path}: expected text, got {Describe(v)}"),
        };
    }

    private bool Flag(string path) => Get(path) is bool b ? b : throw new ConfigException($"{path}: expected true or false, got {Describe(Get(path))}");

    private static string Describe(object? v) => v switch
    {
        null => "nothing (null)",
        string s => $"'{s}'",
        Dictionary<string, object?> => "a mapping",
        System.Collections.IList => "a list",
        _ => YamlScalar.Format(v),
    };

    private PhysicalRange? Range(string path)
    {
        if (Get(path) is null) return null;
        double min = Number(path + ".min"), max = Number(path + ".max");
        if (!(max > min)) throw new ConfigException($"{path}: max ({max.ToString(CultureInfo.InvariantCulture)}) must exceed min ({min.ToString(CultureInfo.InvariantCulture)})");
        return new PhysicalRange(min, max);
    }

    private void Validate()
    {
        _ = Mode; _ = Epochs; _ = Initial; _ = RatioRange; _ = AttackRangeMs; _ = ReleaseRangeMs; _ = Delay;
        _ = Newton; _ = Duration; _ = Overlap; _ = Integer("data.batch_size", long.MinValue); _ = Search;
        _ = Text("ckpt_dir"); _ = Text("data.train.input"); _ = Text("data.train.target"); _ = InitCheckpoint;
        _ = Text("optimiser.hessian_module"); _ = Text("optimiser.hessian_mode");
        _ = Start; _ = End;
        if (Overlap >= Duration) throw new ConfigException($"data.overlap ({Overlap}) must be shorter than data.duration ({Duration})");
        if (Start is { } s && End is { } e && e <= s) throw new ConfigException($"data.train.end ({e}) must be after data.train.start ({s})");
        if (RatioRange is { } r && r.Min < 1) throw new ConfigException($"compressor.range.ratio.min: a ratio below 1 is not a compressor (got {r.Min})");
        if (AttackRangeMs is { } a && a.Min <= 0) throw new ConfigException("compressor.range.attack_ms.min: must be positive");
        if (ReleaseRangeMs is { } l && l.Min <= 0) throw new ConfigException("compressor.range.release_ms.min: must be positive");
    }

    /// <summary>Forward or inverse.</summary>
    public ObjectiveMode Mode => Text("mode") switch
    {
        "forward" => ObjectiveMode.Forward,
        "inverse" => ObjectiveMode.Inverse,
        var m => throw new ConfigException($"mode: expected forward or inverse, got {Describe(m)}"),
    };

    /// <summary>Newton iteration limit.</summary>
    public int Epochs => (int)Math.Min(Integer("epochs", 0), int.MaxValue);

    /// <summary>Output directory (required to fit).</summary>
    public string CheckpointDirectory => Text("ckpt_dir") ?? throw new ConfigException("ckpt_dir: required (where the fitted parameters go); give ckpt_dir=<dir>");

    /// <summary>Training input WAV.</summary>
    public string TrainInput => Text("data.train.input") ?? throw new ConfigException("data.train.input: required (the recording fed to the compressor); give data.train.input=<wav>");

    /// <summary>Training target WAV.</summary>
    public string TrainTarget => Text("data.train.target") ?? throw new ConfigException("data.train.target: required (the same recording through the compressor); give data.train.target=<wav>");

    /// <summary>Crop start (s).</summary>
    public double? Start
    {
        get
        {
            double? s = OptionalNumber("data.train.start");
            return s < 0 ? throw new ConfigException("data.train.start: must not be negative") : s;
        }
    }

    /// <summary>Crop end (s).</summary>
    public double? End => OptionalNumber("data.train.end");

    /// <summary>Frame duration (s).</summary>
    public double Duration => Number("data.duration", d => d > 0, "must be a positive number of seconds");

    /// <summary>Frame overlap (s).</summary>
    public double Overlap => Number("data.overlap", d => d >= 0, "must not be negative");

    /// <summary>Initial point.</summary>
    public CompressorSettings Initial => new(
        Number("compressor.inits.threshold"),
        Number("compressor.inits.ratio", r => r > 1, "must be greater than 1"),
        Number("compressor.inits.attack_ms", v => v > 0, "must be positive"),
        Number("compressor.inits.release_ms", v => v > 0, "must be positive"),
        Number("compressor.inits.make_up_gain"));

    /// <summary>Ratio range (null: R = 1 + e^u).</summary>
    public PhysicalRange? RatioRange => Range("compressor.range.ratio");

    /// <summary>Attack range in ms (null: α = σ(u)).</summary>
    public PhysicalRange? AttackRangeMs => Range("compressor.range.attack_ms");

    /// <summary>Release range in ms (null: α = σ(u)).</summary>
    public PhysicalRange? ReleaseRangeMs => Range("compressor.range.release_ms");

    /// <summary>Warm-start checkpoint (params.json or its directory), or null.</summary>
    public string? InitCheckpoint => Text("compressor.init_ckpt");

    /// <summary>Look-ahead delay in samples.</summary>
    public int Delay => (int)Math.Min(Integer("compressor.delay", 0), int.MaxValue);

    /// <summary>Newton options.</summary>
    public NewtonOptions Newton => new()
    {
        ConjugateGradient = Text("optimiser.method") switch
        {
            "direct" => false,
            "cg" => true,
            var m => throw new ConfigException($"optimiser.method: expected direct or cg, got {Describe(m)}"),
        },
        Alpha = Number("optimiser.alpha", v => v > 0 && v < 1, "must lie in (0, 1)"),
        Beta = Number("optimiser.beta", v => v > 0 && v < 1, "must lie in (0, 1)"),
        MaxLineSearch = (int)Math.Min(Integer("optimiser.max_iter", 1), 10_000),
        MaxIterations = Epochs,
        Tolerance = Number("optimiser.tolerance", v => v >= 0, "must not be negative"),
    };

    /// <summary>Global-stage options.</summary>
    public SearchOptions Search => new()
    {
        Enabled = Flag("search.enabled"),
        Candidates = (int)Math.Min(Integer("search.candidates", 0), 100_000),
        Starts = (int)Math.Min(Integer("search.starts", 1), 1000),
        Seconds = Number("search.seconds", v => v > 0, "must be positive"),
        ExcerptSeconds = Number("search.excerpt", v => v > 0, "must be positive"),
        Iterations = (int)Math.Min(Integer("search.iterations", 0), 100_000),
        Seed = (ulong)Integer("search.seed", 0),
    };

    /// <summary>The parameter space at a sample rate.</summary>
    public ParameterSpace Space(double sampleRate) => new(sampleRate, RatioRange, AttackRangeMs, ReleaseRangeMs);

    /// <summary>The fully resolved configuration as YAML.</summary>
    public string ToYaml() => YamlScalar.Emit(Tree);
}
