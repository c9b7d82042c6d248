namespace Newtone.Study;

/// <summary>An existing scores CSV (such as the published one) to merge into a comparison's summary.</summary>
/// <param name="Path">The CSV (Method,Mode,Peak Value,ESR,LDR).</param>
/// <param name="Name">A name that replaces the methods named in the file, or null to keep theirs.</param>
public sealed record ScoresSource(string Path, string? Name = null);
