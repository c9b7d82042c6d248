
namespace Newtone.Study;

/// <summary>What a comparison found.</summary>
/// <param name="Rows">Scores, one per method and recording.</param>
/// <param name="Missing">(method, relative path) of recordings a method lacks.</param>
/// <param name="Targets">Targets considered.</param>
public sealed record ComparisonRun(List<ScoreRow> Rows, List<(string Method, string Recording)> Missing, int Targets);
