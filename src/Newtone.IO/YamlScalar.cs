using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Newtone.IO;

/// <summary>
/// YAML text to plain values and back: mappings become ordered dictionaries, sequences lists, and plain
/// scalars are resolved by the YAML 1.2 core schema (null, booleans, integers, floats, else strings);
/// quoted scalars stay strings.
/// </summary>
internal static partial class YamlScalar
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Parses a YAML document (null for an empty one).</summary>
    public static object? ParseDocument(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0) return null;
        return Convert(stream.Documents[0].RootNode);
    }

    /// <summary>Parses one value as it would appear after <c>key: </c> in YAML.</summary>
    public static object? ParseValue(string text)
    {
        if (text.Length == 0) return null;
        var doc = ParseDocument("v: " + text);
        return doc is Dictionary<string, object?> map && map.TryGetValue("v", out var v) ? v : text;
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv => Convert(kv.Value)),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode s when s.Style is YamlDotNet.Core.ScalarStyle.Plain => Resolve(s.Value ?? ""),
        YamlScalarNode s => s.Value ?? "",
        _ => null,
    };

    /// <summary>Resolves a plain scalar by the YAML 1.2 core schema.</summary>
    public static object? Resolve(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        if (IntPattern().IsMatch(s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (FloatPattern().IsMatch(s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return s;
    }

    /// <summary>Writes a tree of dictionaries and scalars as block-style YAML.</summary>
    public static string Emit(Dictionary<string, object?> root)
    {
        var sb = new System.Text.StringBuilder();
        EmitMap(sb, root, 0);
        return sb.ToString();
    }

    private static void EmitMap(System.Text.StringBuilder sb, Dictionary<string, object?> map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(key).Append(':');
            if (value is Dictionary<string, object?> child)
            {
                if (child.Count == 0) { sb.Append(" {}\n"); continue; }
                sb.Append('\n');
                EmitMap(sb, child, indent + 2);
            }
            else
            {
                sb.Append(' ').Append(Format(value)).Append('\n');
            }
        }
    }

    /// <summary>One scalar in YAML syntax, quoted when a plain scalar would read back differently.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d when double.IsNaN(d) => ".nan",
        double d => FormatDouble(d),
        string s when Resolve(s) is string && s.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) < 0
            && s.Trim() == s && !s.StartsWith('-') && !s.StartsWith('?') => s,
        string s => "'" + s.Replace("'", "''") + "'",
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        _ => "'" + value + "'",
    };

    private static string FormatDouble(double d)
    {
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('.') || r.Contains('E') || r.Contains('e') ? r.Replace("E", "e") : r + ".0";
    }
}
