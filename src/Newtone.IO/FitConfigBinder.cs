using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>
/// Binds YAML files and <c>dotted.key=value</c> overrides onto the immutable <see cref="FitConfig"/> record, and
/// writes it back as YAML. Keys are the snake_case names of the record's properties (or their
/// <see cref="JsonPropertyNameAttribute"/>); values are YAML scalars converted to the property's type, with errors
/// that name the key (and the file). A text value given on the command line is taken literally unless it is quoted,
/// so paths containing <c> #</c> or <c>: </c> survive; in a YAML file such text must be quoted, as YAML requires.
/// </summary>
internal static class FitConfigBinder
{
    /// <summary>Defaults, then the YAML file (if any), then the overrides in order; validated.</summary>
    public static FitConfig Load(string? yamlPath, IEnumerable<string> overrides)
    {
        object config = new FitConfig();
        if (yamlPath is not null)
        {
            if (!File.Exists(yamlPath)) throw new ConfigException($"{yamlPath}: file not found");
            object? doc;
            try
            {
                doc = YamlScalar.ParseDocument(File.ReadAllText(yamlPath));
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or ArgumentException or InvalidOperationException)
            {
                throw new ConfigException($"{yamlPath}: not valid YAML ({OneLine(e.Message)})");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"{yamlPath}: cannot be read ({OneLine(e.Message)})");
            }
            if (doc is Dictionary<string, object?> map) config = Merge(config, map, "", yamlPath);
            else if (doc is not null) throw new ConfigException($"{yamlPath}: expected a mapping of keys at the top level");
        }
        foreach (string o in overrides) config = Override((FitConfig)config, o);
        return ((FitConfig)config).Validate();
    }

    /// <summary>Applies one <c>dotted.key=value</c> override.</summary>
    public static FitConfig Override(FitConfig config, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"override '{assignment}': expected key=value");
        string key = assignment[..eq].Trim();
        string text = assignment[(eq + 1)..].Trim();
        return (FitConfig)Set(config, key.Split('.'), 0, text, literal: true, key, "");
    }

    /// <summary>Every key of the configuration (dotted) with its value as YAML writes it.</summary>
    public static Dictionary<string, string> Flatten(FitConfig config)
    {
        var flat = new Dictionary<string, string>();
        void Walk(Dictionary<string, object?> node, string prefix)
        {
            foreach (var (k, v) in node)
            {
                if (v is Dictionary<string, object?> child) Walk(child, prefix + k + ".");
                else flat[prefix + k] = YamlScalar.Format(v);
            }
        }
        Walk(Tree(config), "");
        return flat;
    }

    /// <summary>The configuration as block YAML, every key in declaration order.</summary>
    public static string ToYaml(FitConfig config) => YamlScalar.Emit(Tree(config));

    private static Dictionary<string, object?> Tree(object section)
    {
        var d = new Dictionary<string, object?>();
        foreach (var p in Properties(section.GetType()))
        {
            var v = p.Info.GetValue(section);
            d[p.Key] = v switch
            {
                null => null,
                PhysicalRange r => new Dictionary<string, object?> { ["min"] = r.Min, ["max"] = r.Max },
                Enum e => EnumName(e),
                int i => (long)i,
                ulong u => u <= long.MaxValue ? (long)u : (object)(double)u,
                string or bool or long or double => v,
                _ => Tree(v),
            };
        }
        return d;
    }

    private sealed record Prop(string Key, PropertyInfo Info);

    private static readonly Dictionary<Type, Prop[]> Cache = [];

    private static Prop[] Properties(Type t)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(t, out var ps)) return ps;
            ps = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0)
                .Select(p => new Prop(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? SnakeCase(p.Name), p)).ToArray();
            Cache[t] = ps;
            return ps;
        }
    }

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static bool IsSection(Type t) => t.IsClass && t != typeof(string);

    private static object Merge(object section, Dictionary<string, object?> map, string prefix, string source)
    {
        foreach (var (key, value) in map)
        {
            string path = prefix + key;
            var prop = Properties(section.GetType()).FirstOrDefault(p => p.Key == key)
                ?? throw new ConfigException($"{source}: unknown key '{path}'{Suggest(section.GetType(), key, prefix)}");
            section = With(section, prop.Info, Convert(prop.Info.PropertyType, prop.Info.GetValue(section), value, path, source));
        }
        return section;
    }

    private static object Set(object section, string[] parts, int i, string text, bool literal, string key, string source)
    {
        string part = parts[i];
        string path = string.Join('.', parts[..(i + 1)]);
        var prop = Properties(section.GetType()).FirstOrDefault(p => p.Key == part)
            ?? throw new ConfigException($"unknown key '{path}'{Suggest(section.GetType(), part, path[..^part.Length])}");
        var type = prop.Info.PropertyType;
        var current = prop.Info.GetValue(section);
        object? value;
        if (i < parts.Length - 1)
        {
            if (IsSection(type)) value = Set(current!, parts, i + 1, text, literal, key, source);
            else if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(PhysicalRange))
            {
                var r = (PhysicalRange?)current ?? new PhysicalRange(double.NaN, double.NaN);
                string leaf = parts[i + 1];
                if (parts.Length != i + 2 || leaf is not ("min" or "max")) throw new ConfigException($"unknown key '{key}' ('{path}' has min and max)");
                double v = (double)Convert(typeof(double), null, Parse(text, key), key, source)!;
                value = leaf == "min" ? r with { Min = v } : r with { Max = v };
                if (current is null && (double.IsNaN(((PhysicalRange)value).Min) || double.IsNaN(((PhysicalRange)value).Max)))
                    throw new ConfigException($"{path}: is null; give both bounds, e.g. {path}={{min: 1, max: 20}}");
            }
            else throw new ConfigException($"unknown key '{key}' ('{path}' is a value, not a section)");
        }
        else
        {
            object? parsed = literal && (type == typeof(string)) && !IsQuoted(text) ? LiteralText(text) : Parse(text, key);
            value = Convert(type, current, parsed, key, source);
        }
        return With(section, prop.Info, value);
    }

    private static object? Parse(string text, string key)
    {
        try
        {
            return YamlScalar.ParseValue(text);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or ArgumentException or InvalidOperationException)
        {
            throw new ConfigException($"{key}: cannot parse the value '{text}' as YAML");
        }
    }

    private static bool IsQuoted(string t) => t.Length >= 2 && ((t[0] == '\'' && t[^1] == '\'') || (t[0] == '"' && t[^1] == '"'));

    private static string? LiteralText(string t) => t is "" or "~" or "null" or "Null" or "NULL" ? null : t;

    /// <summary>A copy of a record with one property replaced (records are immutable; their clone method copies them).</summary>
    private static object With(object section, PropertyInfo prop, object? value)
    {
        var clone = section.GetType().GetMethod("<Clone>$")!.Invoke(section, null)!;
        prop.SetValue(clone, value);
        return clone;
    }

    private static object? Convert(Type type, object? current, object? value, string path, string source)
    {
        string where = source.Length > 0 ? $"{source}: {path}" : path;
        var under = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            if (under is not null || type == typeof(string)) return null;
            if (type == typeof(PhysicalRange))
                throw new ConfigException($"{where}: this range has no unbounded fall-back; give min and max, e.g. {path}={{min: 0, max: 24}}");
            throw new ConfigException($"{where}: expected {Expect(type)}, got nothing (null)");
        }
        var t = under ?? type;
        if (t == typeof(PhysicalRange))
        {
            if (value is not Dictionary<string, object?> m)
                throw new ConfigException($"{where}: expected a mapping of min, max{(under is not null ? " (or null)" : "")}, got {Describe(value)}");
            var r = (PhysicalRange?)current ?? ParameterSpace.DefaultRatioRange with { Min = double.NaN, Max = double.NaN };
            foreach (var (k, v) in m)
            {
                if (k is not ("min" or "max")) throw new ConfigException($"{where}: unknown key '{path}.{k}' (expected min, max)");
                double d = (double)Convert(typeof(double), null, v, $"{path}.{k}", source)!;
                r = k == "min" ? r with { Min = d } : r with { Max = d };
            }
            if (double.IsNaN(r.Min) || double.IsNaN(r.Max)) throw new ConfigException($"{where}: give both min and max");
            return r;
        }
        if (IsSection(t))
        {
            if (value is not Dictionary<string, object?> m)
                throw new ConfigException($"{where}: expected a mapping of {string.Join(", ", Properties(t).Select(p => p.Key))}, got {Describe(value)}");
            return Merge(current ?? Activator.CreateInstance(t)!, m, path + ".", source);
        }
        if (t == typeof(string))
            return value switch
            {
                string s => s,
                long or double or bool => YamlScalar.Format(value),
                _ => throw new ConfigException($"{where}: expected text, got {Describe(value)}"),
            };
        if (t == typeof(bool)) return value is bool b ? b : throw new ConfigException($"{where}: expected true or false, got {Describe(value)}");
        if (t == typeof(double))
        {
            double d = value switch
            {
                long l => l,
                double x => x,
                _ => throw new ConfigException($"{where}: expected a number, got {Describe(value)}"),
            };
            if (!double.IsFinite(d)) throw new ConfigException($"{where}: expected a finite number, got {YamlScalar.Format(value)}");
            return d;
        }
        if (t == typeof(int) || t == typeof(long) || t == typeof(ulong))
        {
            if (value is not long l) throw new ConfigException($"{where}: expected an integer, got {Describe(value)}");
            if (t == typeof(int)) return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw new ConfigException($"{where}: {l} is out of range");
            if (t == typeof(ulong)) return l >= 0 ? (ulong)l : throw new ConfigException($"{where}: must not be negative, got {l}");
            return l;
        }
        if (t.IsEnum)
        {
            var names = Enum.GetValues(t).Cast<Enum>().ToDictionary(EnumName);
            if (value is string s && names.TryGetValue(s, out var e)) return e;
            throw new ConfigException($"{where}: expected {string.Join(" or ", names.Keys)}, got {Describe(value)}");
        }
        throw new InvalidOperationException($"configuration property {path} has an unsupported type {t.Name}");
    }

    private static string EnumName(Enum e) => e.ToString().ToLowerInvariant();

    private static string Expect(Type t) => t == typeof(double) ? "a number" : t == typeof(bool) ? "true or false" : t.IsEnum ? "a name" : "a value";

    private static string Describe(object? v) => v switch
    {
        null => "nothing (null)",
        string s => $"'{s}'",
        Dictionary<string, object?> => "a mapping",
        System.Collections.IList => "a list",
        _ => YamlScalar.Format(v),
    };

    /// <summary>The nearest known key, as a whole dotted key (<paramref name="prefix"/> is the section's path with its dot).</summary>
    private static string Suggest(Type section, string key, string prefix)
    {
        var keys = Properties(section).Select(p => p.Key).ToList();
        var close = keys.OrderBy(k => Distance(k, key)).FirstOrDefault();
        return close is not null && Distance(close, key) <= 2 ? $" (did you mean '{prefix}{close}'?)" : $" (known: {string.Join(", ", keys.Select(k => prefix + k))})";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").TrimEnd('.');

    internal static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
