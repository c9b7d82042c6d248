using System.Globalization;
using System.Text.RegularExpressions;

namespace Newtone.Study;

/// <summary>
/// The SignalTrain LA-2A dataset (or recordings laid out the same way): every
/// <c>target_&lt;id&gt;_LA2A_&lt;c&gt;__&lt;mode&gt;__&lt;peak&gt;.wav</c> in <c>Train/</c>, <c>Val/</c>, <c>Test/</c>
/// paired with <c>input_&lt;id&gt;_.wav</c> in the same folder. Only WAV headers are read. Problems
/// (missing input, unreadable file, rate or length mismatch) are collected, not thrown.
/// </summary>
public sealed partial class SignalTrainIndex
{
    /// <summary>The dataset's folders, in order.</summary>
    public static readonly string[] Folders = ["Train", "Val", "Test"];

    [GeneratedRegex(@"^target_(\d+)_LA2A_([23]c)__([01])__(\d+)\.wav$", RegexOptions.IgnoreCase)]
    private static partial Regex TargetName();

    /// <summary>
    /// The long (&gt; 10 min) recordings docs/model.md §5 lists as each setting's training pair, by (mode, peak).
    /// </summary>
    public static readonly IReadOnlyDictionary<(La2aMode, int), int> KnownTrainingIds = new Dictionary<(La2aMode, int), int>
    {
        [(La2aMode.Compress, 100)] = 158, [(La2aMode.Compress, 95)] = 157, [(La2aMode.Compress, 90)] = 156,
        [(La2aMode.Compress, 85)] = 155, [(La2aMode.Compress, 80)] = 154, [(La2aMode.Compress, 75)] = 153,
        [(La2aMode.Compress, 70)] = 152, [(La2aMode.Compress, 65)] = 151, [(La2aMode.Compress, 60)] = 150,
        [(La2aMode.Compress, 55)] = 149, [(La2aMode.Compress, 50)] = 148, [(La2aMode.Compress, 45)] = 147,
        [(La2aMode.Compress, 40)] = 146,
        [(La2aMode.Limit, 100)] = 179, [(La2aMode.Limit, 95)] = 178, [(La2aMode.Limit, 90)] = 177,
        [(La2aMode.Limit, 85)] = 176, [(La2aMode.Limit, 80)] = 175, [(La2aMode.Limit, 75)] = 174,
        [(La2aMode.Limit, 70)] = 173, [(La2aMode.Limit, 65)] = 172, [(La2aMode.Limit, 60)] = 171,
        [(La2aMode.Limit, 55)] = 170, [(La2aMode.Limit, 50)] = 169, [(La2aMode.Limit, 45)] = 168,
        [(La2aMode.Limit, 40)] = 167,
    };

    private SignalTrainIndex(string root, List<SignalTrainPair> pairs, List<DatasetProblem> problems)
    {
        Root = root;
        Pairs = pairs;
        Problems = problems;
    }

    /// <summary>The dataset root.</summary>
    public string Root { get; }

    /// <summary>Every usable pair, ordered by folder, mode, peak reduction, family and id.</summary>
    public IReadOnlyList<SignalTrainPair> Pairs { get; }

    /// <summary>Files that could not be used.</summary>
    public IReadOnlyList<DatasetProblem> Problems { get; }

    /// <summary>Scans a dataset root.</summary>
    public static SignalTrainIndex Scan(string root)
    {
        if (!Directory.Exists(root)) throw new InputException($"{root}: dataset folder not found");
        root = Path.GetFullPath(root);
        var pairs = new List<SignalTrainPair>();
        var problems = new List<DatasetProblem>();
        bool any = false;
        foreach (string folder in Folders)
        {
            string dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir)) continue;
            any = true;
            foreach (string file in Directory.EnumerateFiles(dir).OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                var m = TargetName().Match(name);
                if (!m.Success)
                {
                    if (name.StartsWith("target_", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
                        problems.Add(new DatasetProblem(file, "target name not of the form target_<id>_LA2A_<3c|2c>__<0|1>__<peak>.wav"));
                    continue;
                }
                int id = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                string input = Path.Combine(dir, $"input_{id}_.wav");
                if (!File.Exists(input))
                {
                    problems.Add(new DatasetProblem(file, $"no input: {Path.GetFileName(input)} is missing"));
                    continue;
                }
                WavFile.Info ti, ii;
                try
                {
                    ti = WavFile.ReadInfo(file);
                }
                catch (InputException e)
                {
                    problems.Add(new DatasetProblem(file, e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
                    continue;
                }
                try
                {
                    ii = WavFile.ReadInfo(input);
                }
                catch (InputException e)
                {
                    problems.Add(new DatasetProblem(input, e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
                    continue;
                }
                if (ti.SampleRate != ii.SampleRate)
                {
                    problems.Add(new DatasetProblem(file, $"sample rate {ti.SampleRate} Hz differs from its input's {ii.SampleRate} Hz"));
                    continue;
                }
                if (ti.Frames != ii.Frames)
                {
                    problems.Add(new DatasetProblem(file, FormattableString.Invariant($"length {ti.Frames} samples ({ti.Seconds:F2} s) differs from its input's {ii.Frames} ({ii.Seconds:F2} s)")));
                    continue;
                }
                if (ti.Channels != ii.Channels)
                {
                    problems.Add(new DatasetProblem(file, $"{ti.Channels} channel(s) but its input has {ii.Channels}"));
                    continue;
                }
                int peak = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
                var mode = m.Groups[3].Value == "0" ? La2aMode.Compress : La2aMode.Limit;
                pairs.Add(new SignalTrainPair(folder, id, m.Groups[2].Value.ToLowerInvariant(), mode, peak, file, input,
                    $"{folder}/{name}", ti.Seconds, ti.SampleRate, ti.Channels));
            }
        }
        if (!any) throw new InputException($"{root}: no Train/, Val/ or Test/ folder (not a SignalTrain-shaped dataset)");
        pairs = pairs.OrderBy(p => Array.IndexOf(Folders, p.Folder)).ThenBy(p => p.Mode).ThenBy(p => p.PeakReduction)
            .ThenBy(p => p.Family, StringComparer.Ordinal).ThenBy(p => p.Id).ToList();
        return new SignalTrainIndex(root, pairs, problems);
    }

    /// <summary>All pairs of one setting.</summary>
    public IEnumerable<SignalTrainPair> Setting(La2aMode mode, int peakReduction) =>
        Pairs.Where(p => p.Mode == mode && p.PeakReduction == peakReduction);

    /// <summary>
    /// The training pair of a setting (docs/model.md §5–§6): a <c>3c</c> recording, from <c>Train/</c> when it has one
    /// (the longest; the id docs/model.md §5 lists wins ties), otherwise from <c>Val/</c> or <c>Test/</c>. Null when none.
    /// </summary>
    public SignalTrainPair? TrainingPair(La2aMode mode, int peakReduction)
    {
        var threeC = Setting(mode, peakReduction).Where(p => p.Family == "3c").ToList();
        KnownTrainingIds.TryGetValue((mode, peakReduction), out int known);
        foreach (string folder in Folders)
        {
            var inFolder = threeC.Where(p => p.Folder == folder).ToList();
            if (inFolder.Count == 0) continue;
            return inFolder.OrderByDescending(p => p.Seconds).ThenByDescending(p => p.Id == known).ThenBy(p => p.Id).First();
        }
        return null;
    }
}
