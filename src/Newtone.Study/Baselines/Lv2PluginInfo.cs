namespace Newtone.Study;

/// <summary>An installed LV2 plugin, as <see cref="Lv2Catalog"/> lists it.</summary>
public sealed record Lv2PluginInfo
{
    /// <summary>The plugin's URI.</summary>
    public required string Uri { get; init; }

    /// <summary>The name hosts show.</summary>
    public required string Name { get; init; }

    /// <summary>Audio inputs.</summary>
    public required int AudioInputs { get; init; }

    /// <summary>Audio outputs.</summary>
    public required int AudioOutputs { get; init; }

    /// <summary>Control inputs, in port order.</summary>
    public required IReadOnlyList<Lv2Control> Controls { get; init; }

    /// <summary>The features the plugin requires of its host.</summary>
    public required IReadOnlyList<string> RequiredFeatures { get; init; }

    /// <summary>The control output reporting the plugin's latency in frames, if any.</summary>
    public int? LatencyPort { get; init; }

    /// <summary>Every port, in index order.</summary>
    internal IReadOnlyList<Lv2Port> Ports { get; init; } = [];

    /// <summary>The control input of a symbol, or null.</summary>
    public Lv2Control? Control(string symbol) => Controls.FirstOrDefault(c => c.Symbol == symbol);

    /// <summary>Required features the baseline host does not provide.</summary>
    public IReadOnlyList<string> MissingFeatures => RequiredFeatures.Where(f => !Lv2Uris.Provided.Contains(f)).ToList();
}
