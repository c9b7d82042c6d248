namespace Newtone.Study;

/// <summary>
/// What a plugin baseline renders and how (docs/model.md §9): the plugin, which targets, and the per-file control
/// values — the plugin's defaults, then <see cref="Sets"/>, then the peak reduction through <see cref="Peak"/>, then the
/// mode through <see cref="Mode"/> — with input gain before the plugin and output gain after it.
/// </summary>
public sealed record BaselineOptions
{
    /// <summary>The plugin's URI.</summary>
    public required string PluginUri { get; init; }

    /// <summary>Modes of the targets to render.</summary>
    public IReadOnlyList<La2aMode> Modes { get; init; } = [La2aMode.Compress, La2aMode.Limit];

    /// <summary>Targets whose file name contains this (empty: all).</summary>
    public string Pattern { get; init; } = "3c";

    /// <summary>Fixed control values (symbol, value), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Sets { get; init; } = [];

    /// <summary>Where peak reduction goes (null: nowhere, every file gets the same controls).</summary>
    public BaselinePeakMap? Peak { get; init; }

    /// <summary>Where the mode goes (null: nowhere).</summary>
    public BaselineModeMap? Mode { get; init; }

    /// <summary>Gain applied to the input before the plugin (dB).</summary>
    public double InputGainDb { get; init; }

    /// <summary>Gain applied to the plugin's output (dB).</summary>
    public double OutputGainDb { get; init; }

    /// <summary>Block length; the plugin is never reset between blocks of one file.</summary>
    public BaselineBlock Block { get; init; } = BaselineBlock.OneSecond;

    /// <summary>The options of a preset (its plugin, fixed values, peak and mode maps).</summary>
    public static BaselineOptions FromPreset(BaselinePreset preset) => new()
    {
        PluginUri = preset.PluginUri, Sets = preset.Sets, Peak = preset.Peak, Mode = preset.Mode,
    };
}
