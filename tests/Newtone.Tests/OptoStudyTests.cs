namespace Newtone.Tests;

/// <summary>
/// The SignalTrain workflows with <c>model=opto</c> (docs/model.md §11) on a synthetic tree whose targets come from an
/// opto model varying linearly with peak reduction: sweep with warm starts, eval with every parameter interpolated and
/// the extra CSV columns, render, process --runs and the report all carry the model.
/// </summary>
public class OptoStudyTests
{
    private const int Sr = 16000;

    private static OptoSettings Opto(La2aMode mode, int p) => new(4 + 0.05 * p, 0.2 + 0.002 * p, 400 + 4 * p, 1500 + 10 * p, 0.5 + 0.01 * p);

    [Fact]
    public void SweepEvalRenderProcessAndReportCarryTheOptoModel()
    {
        using var dir = new TempDir();
        int[] levels = [90, 85, 80];
        SyntheticDataset.Write(dir["data"], new SyntheticDataset.Options
        {
            SampleRate = Sr,
            Seconds = 6,
            Levels = levels,
            Modes = [La2aMode.Compress],
            Truth = WorkflowTests.Linear,
            OptoTruth = Opto,
            NoiseDbfs = double.NegativeInfinity,
        });
        var index = SignalTrainIndex.Scan(dir["data"]);
        // One frame per file: the slow stage remembers seconds, so frames that restart it mid-file would not match the
        // continuously rendered targets (docs/model.md §11 on warm-up).
        var config = FitConfig.Load(null, ["data.duration=6", "data.overlap=0.5", "model=opto"]);
        var runs = Sweep.Run(index, La2aMode.Compress, dir["runs"], levels, config);
        Assert.All(runs, l => Assert.Equal(ModelKind.Opto, l.Parameters!.Kind));
        Assert.All(runs, l => Assert.True(l.Parameters!.Esr < 1e-3, $"la2a_{l.PeakReduction}: ESR {l.Parameters.Esr}"));
        Assert.All(runs.Skip(1), l => Assert.Equal("warm start", l.Parameters!.Search!.Starts[0].Label));

        // eval: the reference's nine columns, then the five extras; the GT ESR is the stored model's on its file.
        var (exit, stdout, stderr) = Cli.Run(dir.Path, "eval", "runs", "eval.csv");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("slow share", stdout);   // the printed summary shows the extras too
        var lines = File.ReadAllLines(dir["eval.csv"]);
        Assert.Equal(SweepEvaluation.Header.Split('\n')[0] + SweepEvaluation.OptoColumns, lines[0]);
        var rows = EvalCsv.Read(dir["eval.csv"]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.NotNull(r.Opto));
        var r85 = rows.Single(r => r.PeakReduction == 85);
        Assert.NotNull(r85.Linear);
        Assert.NotNull(r85.Spline);
        var run85 = RunParameters.Load(dir["runs/la2a_85"]);
        Assert.Equal(run85.Opto, r85.Opto);
        var pair = index.TrainingPair(La2aMode.Compress, 85)!;
        double gt = FileEsr.Compute(pair.InputPath, pair.TargetPath, [run85.Model])[0];
        Assert.Equal(gt, r85.Gt, gt * 1e-12 + 1e-15);
        // The linear interpolation at 85 is the mean of 80's and 90's models, every opto parameter included.
        var (m80, m90) = (RunParameters.Load(dir["runs/la2a_80"]).Model, RunParameters.Load(dir["runs/la2a_90"]).Model);
        var mean = m80 with
        {
            Settings = CompressorSettings.FromIndex(i => (m80.Settings[i] + m90.Settings[i]) / 2),
            Opto = OptoSettings.FromIndex(i => (m80.Opto![i] + m90.Opto![i]) / 2),
        };
        double lin = FileEsr.Compute(pair.InputPath, pair.TargetPath, [mean])[0];
        Assert.Equal(lin, r85.Linear!.Value, lin * 1e-12 + 1e-15);

        // render --runs: each target re-created by the run's opto model.
        (exit, stdout, stderr) = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "out", "--no-make-up");
        Assert.True(exit == 0, stderr + stdout);
        var x = WavFile.Read(pair.InputPath).Channels[0];
        var expected = new float[x.Length];
        Compressor.Process(x, expected, run85.Model.WithoutMakeUp(), Sr);
        Assert.Equal(expected, WavFile.Read(Path.Combine(dir["out"], pair.RelativePath)).Channels[0]);

        // process --runs at a setting between the runs: the spline of every parameter, as La2aPresets gives it.
        (exit, stdout, stderr) = Cli.Run(dir.Path, "process", pair.InputPath, "p.wav", "--runs", "runs", "--peak-reduction", "83", "--mode", "compress");
        Assert.True(exit == 0, stderr + stdout);
        var presets = new La2aPresets(levels.Select(l => (l, RunParameters.Load(dir[$"runs/la2a_{l}"]).Model)));
        var at83 = presets.At(83);
        Assert.Equal(ModelKind.Opto, at83.Kind);
        Compressor.Process(x, expected, at83, Sr);
        Assert.Equal(expected, WavFile.Read(dir["p.wav"]).Channels[0]);

        // The report tabulates the extras.
        Directory.CreateDirectory(dir["study"]);
        File.Copy(dir["eval.csv"], dir["study/eval.csv"]);
        (exit, stdout, stderr) = Cli.Run(dir.Path, "report", "study", "--out", "study/report.md");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("Knee (dB)", File.ReadAllText(dir["study/report.md"]));
    }
}
