using System.Globalization;

namespace Newtone.Study;

/// <summary>
/// A run's <c>history.csv</c> as the fit figure reads it: per stage (<c>search</c>, the global stage on its own audio;
/// <c>fit</c>, the final Newton run on all training frames), the iteration numbers and the ESR (%) after each step,
/// or the loss where an older file has no ESR column. Columns are found by name.
/// </summary>
internal sealed class FitHistory
{
    private FitHistory(bool percent, Dictionary<string, List<(int Iteration, double Value)>> stages)
    {
        IsEsrPercent = percent;
        Stages = stages;
    }

    /// <summary>True when the values are ESR in %; false when they are the loss (a sum of squares).</summary>
    public bool IsEsrPercent { get; }

    /// <summary>The rows of each stage, in file order.</summary>
    public IReadOnlyDictionary<string, List<(int Iteration, double Value)>> Stages { get; }

    /// <summary>The rows of one stage (empty when it has none).</summary>
    public IReadOnlyList<(int Iteration, double Value)> Of(string stage) => Stages.TryGetValue(stage, out var rows) ? rows : [];

    /// <summary>Reads the file; a missing file is an empty history.</summary>
    public static FitHistory Read(string path)
    {
        var stages = new Dictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new FitHistory(true, stages);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return new FitHistory(true, stages);
        var header = lines[0].TrimEnd('\r').Split(',');
        int stage = Array.IndexOf(header, "stage"), iteration = Array.IndexOf(header, "iteration");
        int esr = Array.IndexOf(header, "esr_percent"), loss = Array.IndexOf(header, "loss");
        int value = esr >= 0 ? esr : loss;
        if (stage < 0 || value < 0) throw new InputException($"{path}: not a history file (expected the columns stage and esr_percent or loss)");
        for (int i = 1; i < lines.Length; i++)
        {
            var c = lines[i].TrimEnd('\r').Split(',');
            if (c.Length <= Math.Max(Math.Max(stage, value), iteration)) continue;
            if (!double.TryParse(c[value], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new InputException($"{path}: line {i + 1}: '{c[value]}' is not a number");
            if (!stages.TryGetValue(c[stage], out var rows)) stages[c[stage]] = rows = [];
            int it = iteration >= 0 && int.TryParse(c[iteration], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : rows.Count + 1;
            rows.Add((it, v));
        }
        return new FitHistory(esr >= 0, stages);
    }
}
