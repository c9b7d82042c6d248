namespace Newtone.Study;

/// <summary>One port of an LV2 plugin as the baseline host sees it.</summary>
/// <param name="Index">Port index.</param>
/// <param name="Kind">What is connected to it.</param>
/// <param name="Symbol">lv2:symbol.</param>
/// <param name="Optional">lv2:connectionOptional.</param>
internal sealed record Lv2Port(int Index, Lv2PortKind Kind, string Symbol, bool Optional);
