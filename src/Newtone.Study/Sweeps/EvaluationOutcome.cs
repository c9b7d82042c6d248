namespace Newtone.Study;

/// <summary>What an evaluation of a sweep produced.</summary>
/// <param name="Mode">The runs' LA-2A mode.</param>
/// <param name="Scores">One row per level (docs/model.md §6).</param>
/// <param name="CsvPath">The evaluation CSV written.</param>
/// <param name="HeldOut">Each level's fit on the other recordings of its setting (null without a dataset).</param>
/// <param name="HeldOutPath">The held-out CSV written (null without a dataset).</param>
/// <param name="Unfinished">Run directories without params.json, left out.</param>
/// <param name="Skipped">Dataset files that could not be used (empty without a dataset).</param>
public sealed record EvaluationOutcome(La2aMode Mode, List<LevelScores> Scores, string CsvPath, List<HeldOutScore>? HeldOut, string? HeldOutPath,
    List<string> Unfinished, IReadOnlyList<DatasetProblem> Skipped);
