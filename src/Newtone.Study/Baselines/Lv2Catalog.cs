namespace Newtone.Study;

/// <summary>
/// The LV2 plugins installed on this machine (found through lilv on <c>LV2_PATH</c>, else the default folders:
/// <c>~/.lv2</c>, <c>/usr/local/lib/lv2</c>, <c>/usr/lib/lv2</c>).
/// </summary>
public static class Lv2Catalog
{
    /// <summary>Why plugins cannot be hosted here (lilv missing), or null when they can.</summary>
    public static string? Unavailable => Lilv.Missing;

    /// <summary>
    /// The installed plugins whose URI or name contains <paramref name="word"/> (any case; every plugin when null or
    /// empty), ordered by URI.
    /// </summary>
    public static IReadOnlyList<Lv2PluginInfo> List(string? word = null)
    {
        var world = Lv2World.Shared;
        var list = new List<Lv2PluginInfo>();
        foreach (string uri in world.Uris().Order(StringComparer.Ordinal))
        {
            if (!string.IsNullOrEmpty(word) && !uri.Contains(word, StringComparison.OrdinalIgnoreCase)
                && !world.Name(uri).Contains(word, StringComparison.OrdinalIgnoreCase)) continue;
            if (world.Info(uri) is { } info) list.Add(info);
        }
        return list;
    }

    /// <summary>The plugin of a URI; an <see cref="InputException"/> naming it when none is installed.</summary>
    public static Lv2PluginInfo Find(string uri)
    {
        var world = Lv2World.Shared;
        if (world.Info(uri) is { } info) return info;
        string tail = uri.TrimEnd('/', '#').Split('/', '#', ':').LastOrDefault() ?? "";
        var near = tail.Length >= 3 ? world.Uris().Where(u => u.Contains(tail, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).Take(3).ToList() : [];
        throw new InputException($"{uri}: no LV2 plugin with this URI is installed (searched {SearchPath})"
            + (near.Count > 0 ? $"; similar: {string.Join(", ", near)}" : ""));
    }

    /// <summary>Where lilv looks for plugins.</summary>
    public static string SearchPath => Environment.GetEnvironmentVariable("LV2_PATH") is { Length: > 0 } p ? $"LV2_PATH={p}" : "the default LV2 folders";
}
