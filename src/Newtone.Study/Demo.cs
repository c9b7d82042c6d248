namespace Newtone.Study;

/// <summary>
/// The built-in demonstration's data and steps (what <c>newtone demo</c> runs): music-like audio through the
/// compressor at the published LA-2A fit for peak reduction 75 (compress) plus faint noise, to be fitted back; and
/// a miniature SignalTrain-shaped study (13 levels, targets from parameters that vary smoothly with peak reduction,
/// plus even-harmonic colour the five parameters cannot express). Every random choice comes from the seed.
/// </summary>
public static class Demo
{
    /// <summary>Sample rate of the demonstration (Hz).</summary>
    public const int SampleRate = 44100;

    /// <summary>Noise added to the fit's target (dBFS RMS).</summary>
    public const double NoiseDbfs = -70;

    /// <summary>The true model of the fit demonstration: the published fit for compress, peak reduction 75.</summary>
    public static CompressorModel Truth => new(PublishedSettings.At(La2aMode.Compress, 75));

    /// <summary>The fit demonstration's input and target files and the configuration that fits them.</summary>
    /// <param name="Input">Input WAV.</param>
    /// <param name="Target">Target WAV.</param>
    /// <param name="Truth">The model that made the target.</param>
    /// <param name="Config">The fit configuration (defaults, paths set).</param>
    public sealed record FitData(string Input, string Target, CompressorModel Truth, FitConfig Config);

    /// <summary>Writes <paramref name="seconds"/> s of generated music and its compressed, noisy target into <paramref name="outDir"/>.</summary>
    public static FitData PrepareFit(string outDir, double seconds, ulong seed)
    {
        var truth = Truth;
        var x = MusicGenerator.Generate(seconds, SampleRate, seed);
        var y = new float[x.Length];
        Compressor.Process(x, y, truth, SampleRate);
        MusicGenerator.AddNoise(y, NoiseDbfs, seed + 1);
        Directory.CreateDirectory(outDir);
        string input = Path.Combine(outDir, "input.wav"), target = Path.Combine(outDir, "target.wav");
        WavFile.WriteFloat(input, new AudioBuffer(x, SampleRate));
        WavFile.WriteFloat(target, new AudioBuffer(y, SampleRate));
        var config = new FitConfig
        {
            CkptDir = Path.Combine(outDir, "fit"),
            Data = new DataConfig { Train = new TrainConfig { Input = input, Target = target } },
        };
        return new FitData(input, target, truth, config);
    }

    /// <summary>
    /// The miniature SignalTrain-shaped dataset under <paramref name="root"/> (written once; an existing complete
    /// tree is reused, a partial one from an interrupted run is replaced).
    /// </summary>
    public static SignalTrainIndex PrepareDataset(string root, ulong seed)
    {
        if (!Directory.Exists(Path.Combine(root, "Train")))
        {
            var partial = root + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            SyntheticDataset.Write(partial, new SyntheticDataset.Options { Seconds = 16, HeldOutSeconds = 6, Seed = seed + 100, Colour = true });
            Directory.Move(partial, root);
        }
        return SignalTrainIndex.Scan(root);
    }

    /// <summary>ESR (a fraction) of each rendered file against the target at the same relative path under <paramref name="root"/>.</summary>
    public static List<double> Esr(IEnumerable<(string Source, string Output)> rendered, string renderedRoot, string root) =>
        rendered.Select(j => Comparison.Compare(j.Output, Path.Combine(root, Path.GetRelativePath(renderedRoot, j.Output))).Esr).ToList();
}
