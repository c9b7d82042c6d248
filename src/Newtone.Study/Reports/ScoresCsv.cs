using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>The <c>Method,Mode,Peak Value,ESR,LDR</c> CSV of the reference's <c>scores.csv</c>.</summary>
public static class ScoresCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "Method,Mode,Peak Value,ESR,LDR";

    /// <summary>Writes rows in the reference's layout.</summary>
    public static string Write(IEnumerable<ScoreRow> rows)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
            sb.Append(r.Method).Append(',').Append(r.Mode.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(r.PeakValue.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(SweepEvaluation.Py(r.Esr)).Append(',').Append(SweepEvaluation.Py(r.Ldr)).Append('\n');
        return sb.ToString();
    }

    /// <summary>True when a file starts with the scores header.</summary>
    public static bool Is(string path) => FirstLine(path) == Header;

    internal static string? FirstLine(string path)
    {
        try
        {
            using var r = new StreamReader(path);
            return r.ReadLine()?.TrimEnd('\r');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads a scores CSV (errors name the file and line).</summary>
    public static List<ScoreRow> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != Header)
            throw new InputException($"{path}: not a scores CSV (expected the header '{Header}')");
        var rows = new List<ScoreRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            var l = lines[i].TrimEnd('\r');
            if (l.Length == 0) continue;
            var c = l.Split(',');
            if (c.Length != 5
                || !int.TryParse(c[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int mode)
                || !int.TryParse(c[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int peak)
                || !double.TryParse(c[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double esr)
                || !double.TryParse(c[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double ldr))
                throw new InputException($"{path}: line {i + 1} is not Method,Mode,Peak Value,ESR,LDR");
            rows.Add(new ScoreRow(c[0], mode, peak, esr, ldr));
        }
        return rows;
    }
}
