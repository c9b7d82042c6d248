namespace Newtone.Study;

/// <summary>A checked plugin baseline: the plugin, the options and every file's job.</summary>
/// <param name="Plugin">The plugin.</param>
/// <param name="Options">The options.</param>
/// <param name="Jobs">One job per matching target.</param>
/// <param name="Notes">Things worth telling the user once (how channels are routed, what is not mapped).</param>
public sealed record BaselinePlan(Lv2PluginInfo Plugin, BaselineOptions Options, IReadOnlyList<BaselineJob> Jobs, IReadOnlyList<string> Notes);
