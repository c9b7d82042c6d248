
namespace Newtone.Study;

/// <summary>
/// Writes a miniature SignalTrain-shaped tree (Train/, Val/, Test/ with <c>input_&lt;id&gt;_.wav</c> and
/// <c>target_&lt;id&gt;_LA2A_&lt;c&gt;__&lt;mode&gt;__&lt;peak&gt;.wav</c>) whose targets come from the compressor with
/// parameters that vary smoothly with peak reduction — for demos, tests and benchmarks.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>What to generate.</summary>
    public sealed record Options
    {
        /// <summary>Modes.</summary>
        public IReadOnlyList<La2aMode> Modes { get; init; } = [La2aMode.Compress];

        /// <summary>Peak-reduction levels.</summary>
        public IReadOnlyList<int> Levels { get; init; } = PublishedSettings.PeakReductions;

        /// <summary>Length of each training (3c) recording.</summary>
        public double Seconds { get; init; } = 20;

        /// <summary>Length of each held-out (2c, Val/Test) recording; 0 for none.</summary>
        public double HeldOutSeconds { get; init; }

        /// <summary>Sample rate.</summary>
        public int SampleRate { get; init; } = 44100;

        /// <summary>Noise added to targets (dBFS RMS); −∞ for none.</summary>
        public double NoiseDbfs { get; init; } = -80;

        /// <summary>Seed of music and noise.</summary>
        public ulong Seed { get; init; } = 1;

        /// <summary>
        /// Add "analogue colour" after the compressor: even-harmonic, tube-like distortion <c>y = c + 0.6·c²</c>,
        /// which the five-parameter model cannot express and the GRU make-up gain can learn.
        /// </summary>
        public bool Colour { get; init; }

        /// <summary>The true parameters per (mode, level); default: the published LA-2A fits, spline-interpolated.</summary>
        public Func<La2aMode, int, CompressorSettings>? Truth { get; init; }

        /// <summary>The opto model's true extras per (mode, level) (docs/model.md §11), or null: targets from the ff5 model.</summary>
        public Func<La2aMode, int, OptoSettings>? OptoTruth { get; init; }
    }

    /// <summary>The default truth: published fits interpolated (smooth in peak reduction).</summary>
    public static CompressorSettings PublishedTruth(La2aMode mode, int peak) => La2aPresets.Published(mode).At(Math.Clamp(peak, 40, 100)).Settings;

    /// <summary>Writes the tree; returns the true parameters per (mode, level).</summary>
    public static Dictionary<(La2aMode, int), CompressorSettings> Write(string root, Options o)
    {
        var truth = new Dictionary<(La2aMode, int), CompressorSettings>();
        var f = o.Truth ?? PublishedTruth;
        int nextHeld = 300;
        ulong k = 0;
        foreach (var mode in o.Modes)
        {
            foreach (int peak in o.Levels)
            {
                var s = f(mode, peak);
                truth[(mode, peak)] = s;
                int id = SignalTrainIndex.KnownTrainingIds.TryGetValue((mode, peak), out int known) ? known : 500 + (int)k;
                WritePair(Path.Combine(root, "Train"), id, "3c", mode, peak, s, o.Seconds, o, o.Seed + 10 * k++);
                if (o.HeldOutSeconds > 0)
                {
                    WritePair(Path.Combine(root, "Val"), nextHeld++, "2c", mode, peak, s, o.HeldOutSeconds, o, o.Seed + 10 * k++);
                    WritePair(Path.Combine(root, "Test"), nextHeld++, "2c", mode, peak, s, o.HeldOutSeconds, o, o.Seed + 10 * k++);
                }
            }
        }
        return truth;
    }

    /// <summary>The file name of a target.</summary>
    public static string TargetName(int id, string family, La2aMode mode, int peak) =>
        $"target_{id}_LA2A_{family}__{(mode == La2aMode.Compress ? 0 : 1)}__{peak}.wav";

    /// <summary>The colour of <see cref="Options.Colour"/>, in place: <c>y = c + 0.6·c²</c>.</summary>
    public static void AddColour(Span<float> y, int sampleRate)
    {
        _ = sampleRate;
        for (int i = 0; i < y.Length; i++) y[i] = (float)(y[i] + 0.6 * y[i] * y[i]);
    }

    private static void WritePair(string dir, int id, string family, La2aMode mode, int peak, CompressorSettings s, double seconds, Options o, ulong seed)
    {
        var x = MusicGenerator.Generate(seconds, o.SampleRate, seed);
        var y = new float[x.Length];
        Compressor.Process(x, y, new CompressorModel(s) { Opto = o.OptoTruth?.Invoke(mode, peak) }, o.SampleRate);
        if (o.Colour) AddColour(y, o.SampleRate);
        if (double.IsFinite(o.NoiseDbfs)) MusicGenerator.AddNoise(y, o.NoiseDbfs, seed + 1);
        string input = Path.Combine(dir, $"input_{id}_.wav");
        WavFile.WriteFloat(input, new AudioBuffer(x, o.SampleRate));
        WavFile.WriteFloat(Path.Combine(dir, TargetName(id, family, mode, peak)), new AudioBuffer(y, o.SampleRate));
    }
}
