namespace Newtone.Study;

/// <summary>A named mapping of peak reduction and mode onto one installed compressor's controls.</summary>
/// <param name="Name">The preset's name.</param>
/// <param name="PluginUri">The plugin.</param>
/// <param name="Package">The Debian package that installs it.</param>
/// <param name="Sets">Fixed control values (symbol, value), applied after the defaults.</param>
/// <param name="Peak">Where peak reduction goes.</param>
/// <param name="Mode">Where the mode goes.</param>
/// <param name="Summary">One line on what it does.</param>
public sealed record BaselinePreset(string Name, string PluginUri, string Package, IReadOnlyList<KeyValuePair<string, double>> Sets,
    BaselinePeakMap Peak, BaselineModeMap Mode, string Summary);
