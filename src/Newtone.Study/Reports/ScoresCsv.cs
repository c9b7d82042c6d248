using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>One row of a scores CSV (docs/model.md §8): a method's ESR and ΔLDR on one recording.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Mode">0 compress, 1 limit.</param>
/// <param name="PeakValue">Peak reduction.</param>
/// <param name="Esr">ESR.</param>
/// <param name="Ldr">ΔLDR (prediction minus target).</param>
public sealed record ScoreRow(string Method, int Mode, int PeakValue, double Esr, double Ldr);

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

/// <summary>One row of an evaluation CSV (docs/model.md §6 layout), as read back.</summary>
/// <param name="PeakReduction">Level.</param>
/// <param name="Gt">GT ESR.</param>
/// <param name="Linear">Linear-interpolation ESR (odd levels).</param>
/// <param name="Spline">Spline-interpolation ESR (odd levels).</param>
/// <param name="Settings">Fitted parameters.</param>
public sealed record EvalRow(int PeakReduction, double Gt, double? Linear, double? Spline, CompressorSettings Settings);

/// <summary>Reads docs/model.md §6's evaluation CSV (ours or the reference's comp.csv / limit.csv).</summary>
public static class EvalCsv
{
    /// <summary>True when a file starts with the evaluation header.</summary>
    public static bool Is(string path) => ScoresCsv.FirstLine(path) == SweepEvaluation.Header.Split('\n')[0];

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
                rows.Add(new EvalRow(int.Parse(c[0], CultureInfo.InvariantCulture), D(1), O(2), O(3), new CompressorSettings(D(4), D(5), D(6), D(7), D(8))));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
            {
                throw new InputException($"{path}: line {i + 1} is not a row of the evaluation layout");
            }
        }
        return rows;
    }
}
