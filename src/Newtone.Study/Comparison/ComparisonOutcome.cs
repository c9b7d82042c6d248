namespace Newtone.Study;

/// <summary>What a comparison produced.</summary>
/// <param name="Run">The computed scores, missing files and target count.</param>
/// <param name="Merged">Rows merged from existing scores CSVs (not written again).</param>
/// <param name="Summary">Mean ESR (a fraction) and ΔLDR (dB) per method and mode, computed and merged rows together.</param>
/// <param name="CsvPath">The scores CSV written (computed rows only, the reference's layout).</param>
/// <param name="Skipped">Dataset files that could not be used.</param>
public sealed record ComparisonOutcome(ComparisonRun Run, List<ScoreRow> Merged, List<MethodSummary> Summary, string CsvPath,
    IReadOnlyList<DatasetProblem> Skipped);
