namespace Newtone.Tests;

/// <summary>Which installed LV2 plugins the baseline tests can use (lilv and the plugins from calf-plugins, lsp-plugins-lv2, zam-plugins).</summary>
internal static class Lv2Plugins
{
    public const string CalfMono = "http://calf.sourceforge.net/plugins/MonoCompressor";
    public const string CalfStereo = "http://calf.sourceforge.net/plugins/Compressor";
    public const string CalfSynth = "http://calf.sourceforge.net/plugins/Monosynth";
    public const string LspMono = "http://lsp-plug.in/plugins/lv2/compressor_mono";
    public const string LspLimiter = "http://lsp-plug.in/plugins/lv2/limiter_mono";
    public const string ZamComp = "urn:zamaudio:ZamComp";

    private static readonly Lazy<HashSet<string>> Installed = new(() =>
        Lv2Catalog.Unavailable is null ? [.. Lv2World.Shared.Uris()] : []);

    /// <summary>Why the plugins cannot be used here, or null.</summary>
    public static string? Missing(params string[] uris)
    {
        if (!OperatingSystem.IsLinux()) return "LV2 plugins are hosted on Linux";
        if (Lv2Catalog.Unavailable is { } why) return why + "; .ci/run installs it";
        var absent = uris.Where(u => !Installed.Value.Contains(u)).ToList();
        return absent.Count > 0
            ? $"LV2 plugin(s) not installed: {string.Join(", ", absent)} (apt-get install calf-plugins lsp-plugins-lv2 zam-plugins; .ci/run installs them)"
            : null;
    }
}

/// <summary>A [Fact] that skips with the printed reason where lilv or the named plugins (or, with lv2apply, lilv-utils) are absent.</summary>
public sealed class Lv2PluginFactAttribute : FactAttribute
{
    public Lv2PluginFactAttribute(bool lv2apply, params string[] uris)
    {
        if (Lv2Plugins.Missing(uris) is { } why) Skip = why;
        else if (lv2apply && !Lv2Tools.Has("lv2apply")) Skip = "lv2apply needs Debian's lilv-utils (apt-get install lilv-utils; .ci/run installs it)";
    }
}
