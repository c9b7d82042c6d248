namespace Newtone.Plugin;

/// <summary>One LV2 port as declared in the bundle's Turtle and served by the library.</summary>
/// <param name="Index">Port index.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Symbol">LV2 symbol.</param>
/// <param name="Name">Name shown by hosts.</param>
/// <param name="Min">Minimum (controls).</param>
/// <param name="Max">Maximum (controls).</param>
/// <param name="Default">Default (controls).</param>
/// <param name="Unit">LV2 units symbol (db, frame), or null.</param>
/// <param name="Enumeration">An enumeration (compress 0 / limit 1).</param>
/// <param name="Toggle">A toggle.</param>
/// <param name="Latency">The latency output port.</param>
public sealed record PluginPort(int Index, PortKind Kind, string Symbol, string Name, double Min = 0, double Max = 0, double Default = 0,
    string? Unit = null, bool Enumeration = false, bool Toggle = false, bool Latency = false);
