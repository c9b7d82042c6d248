
namespace Newtone.Tests;

/// <summary>
/// The opto model in the processor (docs/model.md §11): neutral extras give ff5 bit for bit, other extras match the
/// plain implementation, streaming equals one pass, and the settings validate.
/// </summary>
public class OptoProcessorTests
{
    private const int Sr = 44100;
    private static readonly CompressorSettings Ff5 = new(-28, 3.5, 2, 180, 1.5);
    private static readonly OptoSettings Opto = new(9, 0.4, 600, 3000, 2.5);

    /// <summary>Music with level steps, so that every branch (knee, charge, slow release) is visited.</summary>
    private static float[] Signal(double seconds, ulong seed)
    {
        var x = MusicGenerator.Generate(seconds, Sr, seed);
        for (int i = 0; i < x.Length; i++) x[i] *= (i / (Sr / 2)) % 3 == 0 ? 0.2f : 1f;
        return x;
    }

    private static float[] Run(CompressorModel model, float[] x, int channels, bool linked, int block)
    {
        var p = new CompressorProcessor(model, Sr, channels, linked);
        var y = new float[x.Length + p.LatencySamples * channels];
        for (int pos = 0; pos < x.Length; pos += block * channels)
        {
            int n = Math.Min(block * channels, x.Length - pos);
            p.Process(x.AsSpan(pos, n), y.AsSpan(pos, n));
        }
        p.Flush(y.AsSpan(x.Length));
        return y;
    }

    public static TheoryData<int, bool, int, int> Layouts => new()
    {
        { 1, true, 0, 4096 },
        { 1, true, 37, 333 },
        { 2, true, 0, 1000 },
        { 2, true, 11, 2048 },
        { 2, false, 0, 777 },
        { 2, false, 5, 4096 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void NeutralExtrasReproduceFf5BitForBit(int channels, bool linked, int delay, int block)
    {
        var x = TestSignals.Interleave(Enumerable.Range(0, channels).Select(c => Signal(3, 5 + (ulong)c)).ToArray());
        var ff5 = CompressorModel.FromSamples(Ff5, delay, Sr);
        var expected = Run(ff5, x, channels, linked, block);
        foreach (var neutral in new[] { OptoSettings.Neutral, new OptoSettings(0, 0, 17, 99999, 0) })
        {
            var opto = ff5 with { Opto = neutral };
            Assert.Equal(ModelKind.Opto, opto.Kind);
            Assert.Equal(expected, Run(opto, x, channels, linked, block));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    public void WholePassMatchesThePlainImplementation(int delay)
    {
        var x = Signal(4, 7);
        var model = CompressorModel.FromSamples(Ff5, delay, Sr) with { Opto = Opto };
        var y = new float[x.Length];
        Compressor.Process(x, y, model, Sr);
        var gain = ReferenceLoss.Advance(OptoReference.SmoothedGain(x.Select(v => (double)v).ToArray(), model, Sr), delay);
        double m = Math.Pow(10, Ff5.MakeUpDb / 20);
        var ff5 = new float[x.Length];
        Compressor.Process(x, ff5, CompressorModel.FromSamples(Ff5, delay, Sr), Sr);
        double differs = 0;
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(m * gain[i] * x[i] - y[i]) <= 1e-6 * Math.Abs(x[i]) + 1e-9, $"sample {i}: {y[i]} vs {m * gain[i] * x[i]}");
            differs = Math.Max(differs, Math.Abs(y[i] - ff5[i]));
        }
        Assert.True(differs > 0.01, "the extras change the output");
    }

    [Fact]
    public void EachExtraChangesTheOutput()
    {
        var x = Signal(2, 8);
        var baseModel = new CompressorModel(Ff5) { Opto = OptoSettings.Neutral with { ChargeMs = 300, SlowReleaseMs = 900 } };
        var y0 = new float[x.Length];
        Compressor.Process(x, y0, baseModel, Sr);
        foreach (var o in new[] { baseModel.Opto! with { KneeDb = 12 }, baseModel.Opto! with { SlowShare = 0.3 }, baseModel.Opto! with { Emphasis = 1.5 } })
        {
            var y = new float[x.Length];
            Compressor.Process(x, y, baseModel with { Opto = o }, Sr);
            double change = y.Zip(y0).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(change > 3e-4, $"{o}: {change}");
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void StreamingInBlocksEqualsOnePass(int channels, bool linked)
    {
        var x = TestSignals.Interleave(Enumerable.Range(0, channels).Select(c => Signal(2, 9 + (ulong)c)).ToArray());
        var model = CompressorModel.FromSamples(Ff5, 13, Sr) with { Opto = Opto };
        Assert.Equal(Run(model, x, channels, linked, 1 << 20), Run(model, x, channels, linked, 61));
    }

    [Fact]
    public void LinkedStereoOfTwoEqualChannelsIsTheMonoModel()
    {
        var mono = Signal(2, 12);
        var model = new CompressorModel(Ff5) { Opto = Opto };
        var y = Run(model, mono, 1, true, 4096);
        var stereo = TestSignals.Deinterleave(Run(model, TestSignals.Interleave([mono, mono]), 2, true, 4096), 2);
        Assert.Equal(y, stereo[0]);
        Assert.Equal(y, stereo[1]);
    }

    [Fact]
    public void UpdateSwitchesModelsAndKeepsThemInTheModelProperty()
    {
        var x = Signal(1, 13);
        var opto = new CompressorModel(Ff5) { Opto = Opto };
        var p = new CompressorProcessor(new CompressorModel(Ff5), Sr);
        p.Update(opto);
        Assert.Equal(opto, p.Model);
        var a = new float[x.Length];
        p.Process(x, a);
        var b = new float[x.Length];
        Compressor.Process(x, b, opto, Sr);
        Assert.Equal(b, a);
        Assert.NotEqual(1.0, p.SmoothedGain);
        p.Update(new CompressorModel(Ff5));
        Assert.Null(p.Model.Opto);
        Assert.Throws<ArgumentException>(() => p.Update(opto with { LookAheadMs = 1 }));
        p.Process(x, a);
    }

    [Fact]
    public void SettingsValidateCompareAndPrint()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(-1, 0, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(0, 1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(0, -0.1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(0, 0, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(0, 0, 1, double.PositiveInfinity, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(0, 0, 1, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptoSettings(double.NaN, 0, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Opto with { SlowShare = 1 });
        Assert.True(OptoSettings.Neutral.IsNeutral);
        Assert.Equal(new OptoSettings(9, 0.4, 600, 3000, 2.5), Opto);
        var a = new CompressorModel(Ff5);
        var b = a with { Opto = Opto };
        Assert.Equal(ModelKind.Ff5, a.Kind);
        Assert.NotEqual(a, b);
        Assert.Equal(b, new CompressorModel(Ff5) { Opto = new OptoSettings(9, 0.4, 600, 3000, 2.5) });
        Assert.Equal(Opto, b.WithoutMakeUp().Opto);
        Assert.Equal("knee 9.00 dB, slow share 0.400, charge 600.00 ms, slow release 3000.00 ms, emphasis 2.500", Opto.ToString());
        Assert.Equal(Ff5 + ", " + Opto, b.ToString());
        Assert.Equal(Ff5.ToString(), a.ToString());
    }
}
