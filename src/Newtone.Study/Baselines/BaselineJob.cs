namespace Newtone.Study;

/// <summary>One target to re-create through a plugin.</summary>
/// <param name="Pair">The dataset pair (its input is rendered).</param>
/// <param name="Output">Where the rendering goes (the output folder + the target's relative path).</param>
/// <param name="Controls">The control values this file gets beyond the plugin's defaults (symbol → value, in the order applied).</param>
public sealed record BaselineJob(SignalTrainPair Pair, string Output, IReadOnlyList<KeyValuePair<string, double>> Controls);
