using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>Reads docs/model.md §6's evaluation CSV (ours or the reference's comp.csv / limit.csv).</summary>
public static class EvalCsv
{
    /// <summary>True when a file starts with the evaluation header.</summary>
    public static bool Is(string path) =>
        ScoresCsv.FirstLine(path) is { } first && (first == ReferenceFirstLine || first == ReferenceFirstLine + SweepEvaluation.OptoColumns);

    private static string ReferenceFirstLine => SweepEvaluation.Header.Split('\n')[0];

    /// <summary>Reads the rows.</summary>
    public static List<EvalRow> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || !Is(path)) throw new InputException($"{path}: not an evaluation CSV (expected the two-line header of docs/model.md §6)");
        var rows = new List<EvalRow>();
        for (int i = 2; i < lines.Length; i++)
        {
            var l = lines[i].TrimEnd('\r');
            if (l.Length == 0) continue;
            var c = l.Split(',');
            double D(int k) => double.Parse(c[k], CultureInfo.InvariantCulture);
            double? O(int k) => c[k].Length == 0 ? null : D(k);
            try
            {
                var opto = c.Length >= 14 ? new OptoSettings(D(9), D(10), D(11), D(12), D(13)) : null;
                rows.Add(new EvalRow(int.Parse(c[0], CultureInfo.InvariantCulture), D(1), O(2), O(3), new CompressorSettings(D(4), D(5), D(6), D(7), D(8)), opto));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new InputException($"{path}: line {i + 1} is not a row of the evaluation layout");
            }
        }
        return rows;
    }
}
