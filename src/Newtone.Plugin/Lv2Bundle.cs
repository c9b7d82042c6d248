using System.Globalization;
using System.Text;

namespace Newtone.Plugin;

/// <summary>
/// Writes an LV2 bundle: the Native AOT library, the model file it reads at instantiate, <c>manifest.ttl</c> and the
/// plugins' Turtle (ports with ranges, defaults, units; the Mode enumeration; the GRU toggle; the latency port). The
/// bundle is assembled in a temporary folder beside the destination and renamed into place.
/// </summary>
public static class Lv2Bundle
{
    /// <summary>The library's name inside a bundle.</summary>
    public const string LibraryFile = "newtone_lv2.so";

    /// <summary>The plugins' Turtle file inside a bundle.</summary>
    public const string TurtleFile = "newtone.ttl";

    /// <summary>URIs of the mono and the stereo-linked plugin.</summary>
    public static (string Mono, string Stereo) Uris(PluginModel model) => (model.Uri + "#mono", model.Uri + "#stereo");

    /// <summary>
    /// Writes the bundle folder <paramref name="bundle"/> (replacing an existing one) from a built library and, when
    /// given, its AVX-512 build (used instead on CPUs that have it).
    /// </summary>
    public static void Write(string bundle, PluginModel model, string library, string? avx512Library = null)
    {
        string full = Path.GetFullPath(bundle.TrimEnd('/', '\\'));
        string parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        string tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(tmp);
        try
        {
            File.Copy(library, Path.Combine(tmp, LibraryFile));
            if (avx512Library is not null) File.Copy(avx512Library, Path.Combine(tmp, Lv2Exports.Avx512File));
            File.WriteAllText(Path.Combine(tmp, Lv2Exports.ModelFile), model.Serialize());
            File.WriteAllText(Path.Combine(tmp, "manifest.ttl"), Manifest(model));
            File.WriteAllText(Path.Combine(tmp, TurtleFile), Turtle(model));
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(tmp, full);
        }
        catch
        {
            try { Directory.Delete(tmp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private const string Prefixes = """
        @prefix doap:  <http://usefulinc.com/ns/doap#> .
        @prefix lv2:   <http://lv2plug.in/ns/lv2core#> .
        @prefix rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix units: <http://lv2plug.in/ns/extensions/units#> .


        """;

    /// <summary>manifest.ttl: both plugins, their binary and their description.</summary>
    public static string Manifest(PluginModel model)
    {
        var (mono, stereo) = Uris(model);
        var sb = new StringBuilder(Prefixes);
        foreach (var uri in new[] { mono, stereo })
            sb.Append($"<{uri}>\n    a lv2:Plugin ;\n    lv2:binary <{LibraryFile}> ;\n    rdfs:seeAlso <{TurtleFile}> .\n\n");
        return sb.ToString();
    }

    /// <summary>The plugins' Turtle.</summary>
    public static string Turtle(PluginModel model)
    {
        var (mono, stereo) = Uris(model);
        var sb = new StringBuilder(Prefixes);
        foreach (var (uri, channels) in new[] { (mono, 1), (stereo, 2) })
        {
            sb.Append($"<{uri}>\n    a lv2:Plugin, lv2:CompressorPlugin ;\n");
            sb.Append($"    doap:name \"{Escape(model.Name)} ({(channels == 1 ? "mono" : "stereo, linked")})\" ;\n");
            sb.Append("    doap:license <https://spdx.org/licenses/MIT> ;\n");
            sb.Append("    lv2:optionalFeature lv2:hardRTCapable ;\n");
            var ports = model.Ports(channels);
            for (int i = 0; i < ports.Count; i++)
            {
                sb.Append(i == 0 ? "    lv2:port " : "    , ");
                sb.Append(Port(ports[i]));
                sb.Append('\n');
            }
            sb.Append("    .\n\n");
        }
        return sb.ToString();
    }

    private static string Port(PluginPort p)
    {
        var ic = CultureInfo.InvariantCulture;
        string kind = p.Kind switch
        {
            PortKind.AudioIn => "lv2:AudioPort, lv2:InputPort",
            PortKind.AudioOut => "lv2:AudioPort, lv2:OutputPort",
            PortKind.ControlIn => "lv2:ControlPort, lv2:InputPort",
            _ => "lv2:ControlPort, lv2:OutputPort",
        };
        var sb = new StringBuilder($"[ a {kind} ; lv2:index {p.Index} ; lv2:symbol \"{p.Symbol}\" ; lv2:name \"{Escape(p.Name)}\"");
        if (p.Kind is PortKind.ControlIn or PortKind.ControlOut && !p.Latency)
            sb.Append(string.Create(ic, $" ; lv2:default {p.Default:0.0###} ; lv2:minimum {p.Min:0.0###} ; lv2:maximum {p.Max:0.0###}"));
        if (p.Unit is { } u) sb.Append($" ; units:unit units:{u}");
        if (p.Enumeration) sb.Append(" ; lv2:portProperty lv2:enumeration, lv2:integer ; lv2:scalePoint [ rdfs:label \"compress\" ; rdf:value 0 ], [ rdfs:label \"limit\" ; rdf:value 1 ]");
        if (p.Toggle) sb.Append(" ; lv2:portProperty lv2:toggled");
        if (p.Latency) sb.Append(" ; lv2:portProperty lv2:reportsLatency, lv2:integer");
        return sb.Append(" ]").ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
