using System.Runtime.InteropServices;
using Newtone.Plugin;

namespace Newtone.Tests;

/// <summary>
/// The opto model (docs/model.md §11) carried past the fit: interpolation of every parameter, the evaluation CSV's
/// extra columns, whole-file ESR and the LV2 plugin, each checked against an independent computation.
/// </summary>
public unsafe class OptoCarriageTests
{
    private const int Sr = 44100;

    /// <summary>A cubic in x: the not-a-knot spline through samples of a cubic is that cubic.</summary>
    private static double Cubic(double x, double a, double b, double c, double d)
    {
        double u = (x - 70) / 30;
        return a + u * (b + u * (c + u * d));
    }

    private static OptoSettings OptoAt(double x) => new(
        Cubic(x, 8, 3, 1, 0.5), Cubic(x, 0.4, 0.1, -0.05, 0.02), Cubic(x, 900, 300, 40, -20), Cubic(x, 3000, -800, 100, 60), Cubic(x, 1.5, 0.5, 0.2, -0.1));

    private static CompressorSettings SettingsAt(double x) => new(Cubic(x, -30, -6, 1, 0.3), Cubic(x, 4, 1, 0.2, 0.1), Cubic(x, 2, 0.5, 0.1, 0),
        Cubic(x, 200, 40, 5, 2), Cubic(x, 3, 1, 0, 0));

    [Fact]
    public void InterpolationCarriesEveryOptoParameter()
    {
        int[] knots = [40, 50, 60, 70, 80, 90, 100];
        var interp = new SettingsInterpolation(knots.Select(k => ((double)k, SettingsAt(k), (OptoSettings?)OptoAt(k))));
        Assert.True(interp.HasOpto);
        foreach (double x in new[] { 45.0, 55, 72.5, 95 })
        {
            var spline = interp.OptoSpline(x)!;
            var truth = OptoAt(x);
            for (int p = 0; p < 5; p++) Assert.Equal(truth[p], spline[p], Math.Abs(truth[p]) * 1e-9 + 1e-12);
        }
        // Linear: the mean of the neighbouring knots at a midpoint.
        var lin = interp.OptoLinear(65)!;
        for (int p = 0; p < 5; p++) Assert.Equal((OptoAt(60)[p] + OptoAt(70)[p]) / 2, lin[p], 1e-9);
        // Presets built from opto runs give opto models.
        var presets = new La2aPresets(knots.Select(k => (k, new CompressorModel(SettingsAt(k)) { Opto = OptoAt(k) })));
        Assert.Equal(ModelKind.Opto, presets.At(72).Kind);
        Assert.Throws<ArgumentException>(() => new SettingsInterpolation(
            [(40.0, SettingsAt(40), OptoAt(40)), (50.0, SettingsAt(50), (OptoSettings?)null)]));
    }

    [Fact]
    public void EvaluationCsvKeepsTheReferenceLayoutAndAddsTheOptoColumns()
    {
        using var dir = new TempDir();
        var rows = new[] { 40, 45, 50 }.Select(p => new LevelScores(p, 0.01 * p, p == 45 ? 0.5 : null, p == 45 ? 0.6 : null,
            SettingsAt(p), null, null, OptoAt(p))).ToList();
        string csv = SweepEvaluation.Csv(rows);
        var lines = csv.Split('\n');
        Assert.Equal(SweepEvaluation.Header.Split('\n')[0] + ",Knee (dB),Slow Share,Charge (ms),Slow Release (ms),Emphasis", lines[0]);
        Assert.Equal(14, lines[1].Split(',').Length);
        Assert.All(lines.Skip(2).Where(l => l.Length > 0), l => Assert.Equal(14, l.Split(',').Length));
        File.WriteAllText(dir["eval.csv"], csv);
        var back = EvalCsv.Read(dir["eval.csv"]);
        Assert.Equal(OptoAt(45), back[1].Opto);
        Assert.Equal(SettingsAt(45), back[1].Settings);
        // ff5 rows: the reference's layout byte for byte.
        string ff5 = SweepEvaluation.Csv(rows.Select(r => r with { Opto = null }));
        Assert.StartsWith(SweepEvaluation.Header, ff5);
        Assert.Equal(9, ff5.Split('\n')[2].Split(',').Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    public void WholeFileEsrOfAnOptoModelMatchesThePlainImplementation(int delay)
    {
        using var dir = new TempDir();
        var x = MusicGenerator.Generate(6, Sr, 31);
        var truth = new CompressorModel(new CompressorSettings(-26, 5, 3, 150, 2)) { Opto = new OptoSettings(6, 0.35, 800, 2500, 1.2) };
        var t = new float[x.Length];
        Compressor.Process(x, t, truth, Sr);
        MusicGenerator.AddNoise(t, -50, 3);
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer([x], Sr));
        WavFile.WriteFloat(dir["t.wav"], new AudioBuffer([t], Sr));
        var opto = CompressorModel.FromSamples(new CompressorSettings(-24, 4, 2, 200, 1), delay, Sr) with { Opto = new OptoSettings(4, 0.2, 500, 1500, 0.5) };
        var ff5 = opto with { Opto = null };
        var esr = FileEsr.Compute(dir["in.wav"], dir["t.wav"], [ff5, opto, ff5 with { Settings = ff5.Settings with { Ratio = 2 } }]);

        double Expected(CompressorModel m)
        {
            var xd = x.Select(v => (double)v).ToArray();
            var g = ReferenceLoss.Advance(OptoReference.SmoothedGain(xd, m, Sr), delay);
            double amp = ReferenceLoss.Amp(m.Settings.MakeUpDb);
            var p = ReferenceLoss.PreFilter(xd.Select((v, n) => (double)(float)(amp * g[n] * v)).ToArray());
            var q = ReferenceLoss.PreFilter(t.Select(v => (double)v).ToArray());
            double e = 0, en = 0;
            for (int n = 0; n < p.Length; n++) { e += (p[n] - q[n]) * (p[n] - q[n]); en += q[n] * q[n]; }
            return e / en;
        }
        Assert.Equal(Expected(ff5), esr[0], Expected(ff5) * 1e-6);
        Assert.Equal(Expected(opto), esr[1], Expected(opto) * 1e-6);
        Assert.NotEqual(esr[0], esr[1]);
    }

    [Fact]
    public void PluginRunsTheOptoModelOfASingleRunAndOfKnots()
    {
        var single = new CompressorModel(new CompressorSettings(-25, 4, 3, 120, 2.5)) { Opto = new OptoSettings(7, 0.3, 700, 2200, 1.1) };
        var x = MusicGenerator.Generate(2, Sr, 8);
        var xd = x.Select(v => (double)v).ToArray();

        // A single fitted run: the plugin's output is the model's (the plain implementation), make-up included.
        var model = PluginModel.Parse(new PluginModel { Single = single.Settings, SingleOpto = single.Opto }.Serialize());
        Assert.True(model.IsOpto);
        Assert.Equal(single.Opto, model.SingleOpto);
        var y = RunPlugin(model, x, null);
        var g = OptoReference.SmoothedGain(xd, single, Sr);
        double amp = ReferenceLoss.Amp(single.Settings.MakeUpDb);
        for (int n = 0; n < x.Length; n++) Assert.Equal(amp * g[n] * x[n], y[n], 2e-6);

        // Knots of both modes: at a resting knob the plugin runs the spline-interpolated opto model, as process does.
        int[] peaks = [40, 50, 60, 70, 80, 90, 100];
        var knots = new Dictionary<La2aMode, List<(int, CompressorSettings)>>
        {
            [La2aMode.Compress] = peaks.Select(p => (p, SettingsAt(p))).ToList(),
            [La2aMode.Limit] = peaks.Select(p => (p, SettingsAt(p) with { Ratio = 12 })).ToList(),
        };
        var optoKnots = new Dictionary<La2aMode, List<OptoSettings>>
        {
            [La2aMode.Compress] = peaks.Select(p => OptoAt(p)).ToList(),
            [La2aMode.Limit] = peaks.Select(p => OptoAt(p) with { SlowShare = 0.1 }).ToList(),
        };
        model = PluginModel.Parse(new PluginModel { Knots = knots, OptoKnots = optoKnots }.Serialize());
        foreach (var (mode, modeValue) in new[] { (La2aMode.Compress, 0f), (La2aMode.Limit, 1f) })
        {
            var presets = new La2aPresets(peaks.Select((p, i) => (p, new CompressorModel(knots[mode][i].Item2) { Opto = optoKnots[mode][i] })));
            var expected = presets.At(72);
            var yp = RunPlugin(model, x, new() { ["peak_reduction"] = 72, ["mode"] = modeValue });
            var ge = OptoReference.SmoothedGain(xd, expected, Sr);
            double a = ReferenceLoss.Amp(expected.Settings.MakeUpDb);
            for (int n = 0; n < x.Length; n++) Assert.Equal(a * ge[n] * x[n], yp[n], 2e-6);
        }
    }

    private static float[] RunPlugin(PluginModel model, float[] x, Dictionary<string, float>? controls)
    {
        var plugin = new La2aPlugin(model, Sr, 1);
        var ports = model.Ports(1);
        var buffers = new float*[ports.Count];
        const int block = 512;
        foreach (var p in ports)
            buffers[p.Index] = (float*)NativeMemory.AllocZeroed((nuint)(sizeof(float) * (p.Kind is PortKind.AudioIn or PortKind.AudioOut ? block : 1)));
        try
        {
            foreach (var p in ports)
            {
                plugin.Ports[p.Index] = buffers[p.Index];
                if (p.Kind == PortKind.ControlIn) *buffers[p.Index] = controls?.GetValueOrDefault(p.Symbol, (float)p.Default) ?? (float)p.Default;
            }
            int input = ports.Single(p => p.Kind == PortKind.AudioIn).Index, output = ports.Single(p => p.Kind == PortKind.AudioOut).Index;
            var y = new float[x.Length];
            for (int pos = 0; pos < x.Length; pos += block)
            {
                int n = Math.Min(block, x.Length - pos);
                x.AsSpan(pos, n).CopyTo(new Span<float>(buffers[input], n));
                plugin.Run(n);
                new Span<float>(buffers[output], n).CopyTo(y.AsSpan(pos, n));
            }
            return y;
        }
        finally
        {
            for (int i = 0; i < buffers.Length; i++) NativeMemory.Free(buffers[i]);
        }
    }
}
