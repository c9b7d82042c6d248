using System.Diagnostics;

/// <summary>
/// Plugin baselines: render throughput of <c>newtone baseline render</c> through the Calf Mono Compressor (the
/// calf-mono preset, 1-second blocks), WAV reading and writing included, on one file and over a 13-file tree in
/// parallel, in samples per second and times real time at 44.1 kHz. Skipped with a line where lilv or Calf is absent.
/// </summary>
internal static class BaselineBench
{
    public static void Run()
    {
        const int sr = 44100;
        if (Lv2Catalog.Unavailable is { } why)
        {
            Console.WriteLine($"plugin baselines: skipped ({why})");
            return;
        }
        var preset = BaselinePresets.Find("calf-mono");
        string root = Path.Combine(Path.GetTempPath(), "newtone-bench-baseline-data");
        if (!Directory.Exists(Path.Combine(root, "Train")))
        {
            string tmp = root + ".partial";
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            SyntheticDataset.Write(tmp, new SyntheticDataset.Options { Seconds = 60, Seed = 11, SampleRate = sr });
            Directory.Move(tmp, root);
        }
        var index = SignalTrainIndex.Scan(root);
        string outDir = Path.Combine(Path.GetTempPath(), "newtone-bench-baseline-out");
        BaselinePlan plan;
        try
        {
            plan = BaselineRenderer.Plan(index, BaselineOptions.FromPreset(preset), outDir);
        }
        catch (InputException e)
        {
            Console.WriteLine($"plugin baselines: skipped ({e.Message})");
            return;
        }
        long samples = plan.Jobs.Sum(j => (long)Math.Round(j.Pair.Seconds * j.Pair.SampleRate));
        Console.WriteLine($"plugin baselines through {plan.Plugin.Name} (preset {preset.Name}, 1 s blocks, WAV in and out included), {plan.Jobs.Count} files of 60 s at {sr} Hz:");
        var one = plan.Jobs[0];
        BaselineRenderer.RenderFile(plan, one);   // warm-up: loads the plugin's library
        double best = double.MaxValue;
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            BaselineRenderer.RenderFile(plan, one);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        double single = one.Pair.Seconds * sr / best;
        Console.WriteLine($"  one file, one core:     {single / 1e6,6:F1} M samples/s = {single / sr,6:F0}× real time");
        var clock = Stopwatch.StartNew();
        BaselineRenderer.Render(plan, force: true);
        double all = samples / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {plan.Jobs.Count} files, {Environment.ProcessorCount} cores: {all / 1e6,6:F1} M samples/s = {all / sr,6:F0}× real time");
    }
}
