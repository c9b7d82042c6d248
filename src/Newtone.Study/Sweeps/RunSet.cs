using System.Globalization;
using System.Text.RegularExpressions;

namespace Newtone.Study;

/// <summary>
/// The finished runs under a folder: <c>la2a_&lt;peak&gt;/</c> directories (directly, or under
/// <c>compress/</c> and <c>limit/</c> for a sweep of both modes). The mode of each run comes from its
/// params.json, else from its parent folder's name, else from the mode the caller gives.
/// </summary>
public static partial class RunSet
{
    [GeneratedRegex(@"^la2a_(\d+)$")]
    private static partial Regex LevelName();

    /// <summary>Loads every finished run; unfinished directories (no params.json) are reported in <paramref name="unfinished"/>.</summary>
    public static List<SweepRun> Load(string root, La2aMode? defaultMode, out List<string> unfinished)
    {
        if (!Directory.Exists(root)) throw new InputException($"{root}: runs folder not found");
        unfinished = [];
        var runs = new List<SweepRun>();
        var dirs = new List<(string Dir, La2aMode? Mode)>();
        foreach (var d in Directory.EnumerateDirectories(root)) dirs.Add((d, null));
        foreach (var m in new[] { La2aMode.Compress, La2aMode.Limit })
        {
            string sub = Path.Combine(root, m.Name());
            if (Directory.Exists(sub)) foreach (var d in Directory.EnumerateDirectories(sub)) dirs.Add((d, m));
        }
        foreach (var (dir, folderMode) in dirs.OrderBy(d => d.Dir, StringComparer.Ordinal))
        {
            var match = LevelName().Match(Path.GetFileName(dir));
            if (!match.Success) continue;
            int peak = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!File.Exists(Path.Combine(dir, FitJob.ParamsFile)))
            {
                unfinished.Add(dir);
                continue;
            }
            var p = RunParameters.Load(dir);
            var mode = La2aModes.Parse(p.La2aMode) ?? folderMode ?? defaultMode
                ?? throw new InputException($"{dir}: the run does not say its LA-2A mode (compress or limit); say which");
            runs.Add(new SweepRun(mode, p.PeakReduction ?? peak, dir, p));
        }
        return runs.OrderBy(r => r.Mode).ThenBy(r => r.PeakReduction).ToList();
    }
}
