
namespace Newtone.Tests;

/// <summary>The compressor kernel against values derived by hand from SPEC §1, and streaming against one pass.</summary>
public class CompressorTests
{
    private const int Sr = 48000;

    /// <summary>A square wave: |x| is constant, so the static gain is constant too.</summary>
    private static float[] Square(double amplitude, int n) =>
        Enumerable.Range(0, n).Select(i => (float)(i % 2 == 0 ? amplitude : -amplitude)).ToArray();

    [Fact]
    public void ConstantLevelAboveThresholdFollowsTheAttackExponentialThenReleases()
    {
        var s = new CompressorSettings(-20, 4, 5, 120, 3);
        var c = s.ToCoefficients(Sr);
        double amp = 0.5;                       // −6.02 dBFS: 13.98 dB above threshold
        int n = 4000;
        var x = Square(amp, n).Concat(Square(0.01, n)).ToArray();   // then −40 dBFS: below threshold
        var y = new float[x.Length];
        Compressor.Process(x, y, c);

        // Static gain by hand: gl = (1 − 1/4)(−20 − 20·log10 0.5) dB.
        double gl = 0.75 * (-20 - 20 * Math.Log10(0.5));
        double g = Math.Pow(10, gl / 20);
        double makeUp = Math.Pow(10, 3.0 / 20);
        double aa = 1 - Math.Exp(-2200.0 / (5 * Sr)), ar = 1 - Math.Exp(-2200 / (120.0 * Sr));
        // Attack from ĝ[−1] = 1 towards g: ĝ[k] = g + (1 − g)(1 − αa)^(k+1).
        foreach (int k in new[] { 0, 1, 10, 100, 1000, n - 1 })
        {
            double expected = makeUp * (g + (1 - g) * Math.Pow(1 - aa, k + 1)) * x[k];
            Assert.Equal(expected, y[k], Math.Abs(expected) * 2e-6);
        }
        // Release from ĝ_end back towards 1: ĝ[n + k] = 1 − (1 − ĝ_end)(1 − αr)^(k+1).
        double gEnd = g + (1 - g) * Math.Pow(1 - aa, n);
        foreach (int k in new[] { 0, 5, 500, n - 1 })
        {
            double expected = makeUp * (1 - (1 - gEnd) * Math.Pow(1 - ar, k + 1)) * x[n + k];
            Assert.Equal(expected, y[n + k], Math.Abs(expected) * 2e-6);
        }
    }

    [Fact]
    public void BelowMinus120DbTheExpanderTermActs()
    {
        // x = 1e-7 (−140 dBFS): gl = (1 − 1/0.9999)(−120 + 140) = −0.0020002 dB.
        double expected = (1 - 1 / 0.9999) * (-120 + 140);
        Assert.Equal(expected, GainComputer.GainDb(-140, -30, 4), 12);
        Assert.Equal(Math.Pow(10, expected / 20), GainComputer.Gain(1e-7, -30, 4), 12);
        // Above −120 dBFS and below threshold: unity; above threshold: the compressor term.
        Assert.Equal(0, GainComputer.GainDb(-60, -30, 4));
        Assert.Equal(0.75 * (-30 + 10), GainComputer.GainDb(-10, -30, 4), 12);
        // Floor of the peak detector: |x| below 1e-8 counts as 1e-8 (−160 dBFS).
        Assert.Equal(GainComputer.Gain(1e-8, -30, 4), GainComputer.Gain(0, -30, 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    public void WholePassMatchesThePlainImplementation(int delay)
    {
        var x = MusicGenerator.Generate(3, Sr, 5);
        var s = new CompressorSettings(-28, 3.5, 2, 180, 1.5);
        var c = s.ToCoefficients(Sr);
        var y = new float[x.Length];
        Compressor.Process(x, y, c, delay);
        var gain = ReferenceLoss.Advance(ReferenceLoss.SmoothedGain(x.Select(v => (double)v).ToArray(), c.ThresholdDb, c.Ratio, c.Attack, c.Release, out _, out _), delay);
        double m = Math.Pow(10, 1.5 / 20);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(m * gain[i] * x[i] - y[i]) <= 1e-6 * Math.Abs(x[i]) + 1e-9, $"sample {i}: {y[i]} vs {m * gain[i] * x[i]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public void StreamingInBlocksOfAnySizeEqualsOnePass(int delay)
    {
        var x = MusicGenerator.Generate(2, Sr, 9);
        var c = new CompressorSettings(-25, 5, 1, 90, -2).ToCoefficients(Sr);
        var whole = new float[x.Length];
        Compressor.Process(x, whole, c, delay);

        var rng = new Rng(3);
        var p = new CompressorProcessor(c, delay, Sr);
        Assert.Equal(delay, p.LatencySamples);
        var streamed = new List<float>();
        int pos = 0;
        while (pos < x.Length)
        {
            int block = Math.Min(x.Length - pos, 1 + rng.Next(rng.Next(2) == 0 ? 17 : 5000));
            var o = new float[block];
            p.Process(x.AsSpan(pos, block), o);
            streamed.AddRange(o);
            pos += block;
        }
        var tail = new float[delay];
        p.Flush(tail);
        streamed.AddRange(tail);
        // The stream lags by the latency; the first `delay` outputs are silence.
        Assert.All(streamed.Take(delay), v => Assert.Equal(0f, v));
        Assert.Equal(whole, streamed.Skip(delay).ToArray());
    }

    [Fact]
    public void ResetReturnsToTheInitialState()
    {
        var x = MusicGenerator.Generate(1, Sr, 2);
        var c = new CompressorSettings(-30, 4, 1, 100, 0).ToCoefficients(Sr);
        var p = new CompressorProcessor(c, 0, Sr);
        var a = new float[x.Length];
        var b = new float[x.Length];
        p.Process(x, a);
        p.Reset();
        Assert.Equal(1.0, p.SmoothedGain);
        p.Process(x, b);
        Assert.Equal(a, b);
    }

    /// <summary>
    /// Music with runs of levels at the edges of the band where the static gain is exactly 1 (the float nearest the threshold
    /// and its neighbours, near −120 dBFS, zero), so that chunks fall inside, outside and across the band.
    /// </summary>
    private static float[] EdgeSignal(double thresholdDb, int n, ulong seed)
    {
        var x = MusicGenerator.Generate((double)n / Sr, Sr, seed);
        var rng = new Rng(seed);
        float thr = (float)Math.Pow(10, thresholdDb / 20), et = 1e-6f;
        float[] edges = [thr, BitIncrement(thr), BitDecrement(thr), et, BitIncrement(et), BitDecrement(et), 0f, 1e-9f, 0.5f * thr, 2 * thr];
        for (int i = 0; i < n; i += 1 + rng.Next(60))
        {
            int run = 1 + rng.Next(24);
            for (int k = i; k < Math.Min(n, i + run); k++) x[k] = (rng.Next(2) == 0 ? 1 : -1) * edges[rng.Next(rng.Next(2) == 0 ? 3 : edges.Length)];
            i += run;
        }
        return x;
        static float BitIncrement(float v) => MathF.BitIncrement(v);
        static float BitDecrement(float v) => MathF.BitDecrement(v);
    }

    [Theory]
    [InlineData(-21.9, 3.5)]
    [InlineData(-18.061799739838872, 3.5)]   // 20·log10(0.125): the threshold is a float exactly
    [InlineData(-60, 3.5)]
    [InlineData(-125, 3.5)]                  // below the expander threshold: the unity band is empty
    [InlineData(6, 3.5)]
    [InlineData(-21.9, 1)]                   // S = 0
    [InlineData(-21.9, 0.8)]                 // R < 1 (S < 0) boosts below the threshold: no unity band
    public void TheProcessorsOnePassEqualsTheCurveThenTheSmootherBitForBit(double thresholdDb, double ratio)
    {
        // The processor fuses the static curve and the smoother, pipelines them and stores g = 1 for chunks inside the
        // unity band without evaluating the curve; the separate block passes evaluate every sample. Same operations on the
        // same values, so the same bits, in blocks of the processor's size (a tail of fewer than eight samples included).
        int n = 3 * 2048 + 8 * 37 + 5;
        var x = EdgeSignal(thresholdDb, n, 17);
        var c = new CompressorSettings(thresholdDb, ratio, 2, 100, 0).ToCoefficients(Sr);
        var got = new double[n];
        new CompressorProcessor(c, 0, Sr).GainEnvelope(x, got);
        var expected = new double[n];
        double state = 1;
        for (int start = 0; start < n; start += 2048)
        {
            int len = Math.Min(2048, n - start);
            GainComputer.Apply(x.AsSpan(start, len), expected.AsSpan(start, len), c.ThresholdDb, c.Ratio);
            state = Ballistics.Smooth(expected.AsSpan(start, len), state, c.Attack, c.Release);
        }
        Assert.Equal(expected, got);
        Assert.Contains(got, g => g != 1);
    }

    [Theory]
    [InlineData(-21.9)]
    [InlineData(-18.061799739838872)]
    [InlineData(-125)]
    public void TheSmoothedGainMatchesThePlainFormulaAtTheBandEdges(double thresholdDb)
    {
        // Against SPEC §1 written plainly (base-10 logs, ĝ + α(g − ĝ) unfused). Each evaluation differs by rounding only,
        // a few 1e-16 per step; the smoother sums a step's error with weights (1 − α)^k, so differences stay below about
        // 1e-16/αr ≈ 2e-13 for αr = coef(100 ms) at 48 kHz; 1e-11 relative leaves a margin and still catches any wrong g.
        int n = 2 * 2048 + 8 * 11 + 3;
        var x = EdgeSignal(thresholdDb, n, 23);
        var c = new CompressorSettings(thresholdDb, 3.5, 2, 100, 0).ToCoefficients(Sr);
        var got = new double[n];
        new CompressorProcessor(c, 0, Sr).GainEnvelope(x, got);
        var plain = ReferenceLoss.SmoothedGain(x.Select(v => (double)v).ToArray(), c.ThresholdDb, c.Ratio, c.Attack, c.Release, out _, out _);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(got[i] - plain[i]) <= 1e-11 * plain[i], $"sample {i}: {got[i]:R} vs {plain[i]:R}");
    }

    [Fact]
    public void TheStepIsThePlainStepUpToRounding()
    {
        // fma(ĝ, 1 − α, α·g) against ĝ + α(g − ĝ): equal to within a few ulps, the coefficient chosen by g < ĝ.
        var rng = new Rng(4);
        for (int i = 0; i < 100000; i++)
        {
            double s = rng.Uniform(1e-6, 1), g = rng.NextDouble() < 0.1 ? s : rng.Uniform(1e-6, 1), a = rng.Uniform(1e-5, 0.5), r = rng.Uniform(1e-6, 0.5);
            double plain = s + (g < s ? a : r) * (g - s);
            Assert.True(Math.Abs(Ballistics.Step(s, g, a, r) - plain) <= 4e-16 * Math.Max(s, g), $"{s:R} {g:R} {a:R} {r:R}");
        }
        Assert.Equal(1.0, Ballistics.Step(1.0, 1.0, 0.3, 2.494e-4));   // at rest at unity gain it stays exactly there
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    public void TheLookAheadRingPushedABlockAtATimeEqualsPushingSampleBySample(int delay)
    {
        var rng = new Rng(11);
        var block = new DelayLine<float>(delay);
        var single = new DelayLine<float>(delay);
        int pushed = 0;
        for (int round = 0; round < 200; round++)
        {
            int n = rng.Next(3) switch { 0 => rng.Next(4), 1 => rng.Next(2 * delay + 2), _ => rng.Next(2000) };
            var x = Enumerable.Range(0, n).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();
            var got = new float[n];
            block.Push(x, got);
            var expected = x.Select(single.Push).ToArray();
            Assert.Equal(expected, got);
            pushed += n;
        }
        Assert.True(pushed > 10 * delay);
        var a = new float[delay];
        var b = new float[delay];
        block.Drain(a, delay);
        single.Drain(b, delay);
        Assert.Equal(b, a);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(513)]
    [InlineData(4096)]
    public void LinkedStereoAppliesTheGainOfTheLoudestChannelToBothExactly(int block)
    {
        // The gain envelope of the mono detector max(|L|, |R|), times amp(M), applied to each channel in the order the
        // model states it, (amp(M)·ĝ)·x: the stereo processor must produce exactly these floats, whatever the block size.
        var left = MusicGenerator.Generate(1, Sr, 31);
        var right = MusicGenerator.Generate(1, Sr, 32).Select(v => 0.7f * v).ToArray();
        var s = new CompressorSettings(-24, 4, 3, 120, 2);
        var c = s.ToCoefficients(Sr);
        var det = left.Select((v, i) => Math.Max(Math.Abs(v), Math.Abs(right[i]))).ToArray();
        var env = new double[det.Length];
        new CompressorProcessor(c, 0, Sr).GainEnvelope(det, env);
        double m = Decibels.ToAmplitude(s.MakeUpDb);
        var x = TestSignals.Interleave([left, right]);
        var y = new float[x.Length];
        var p = new CompressorProcessor(new CompressorModel(s), Sr, 2, linked: true);
        for (int pos = 0; pos < x.Length; pos += 2 * block)
        {
            int len = Math.Min(2 * block, x.Length - pos);
            p.Process(x.AsSpan(pos, len), y.AsSpan(pos, len));
        }
        for (int i = 0; i < det.Length; i++)
        {
            Assert.Equal((float)(m * env[i] * left[i]), y[2 * i]);
            Assert.Equal((float)(m * env[i] * right[i]), y[2 * i + 1]);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 0)]
    [InlineData(4096, 0)]
    [InlineData(513, 19)]
    public void UnlinkedStereoIsTwoMonoCompressorsExactly(int block, int delay)
    {
        var left = MusicGenerator.Generate(1, Sr, 33);
        var right = MusicGenerator.Generate(1, Sr, 34).Select(v => 0.4f * v).ToArray();
        var c = new CompressorSettings(-26, 5, 1, 90, 1).ToCoefficients(Sr);
        var x = TestSignals.Interleave([left, right]);
        var y = new float[x.Length + 2 * delay];
        var p = new CompressorProcessor(c, delay, Sr, 2, linked: false);
        for (int pos = 0; pos < x.Length; pos += 2 * block)
        {
            int len = Math.Min(2 * block, x.Length - pos);
            p.Process(x.AsSpan(pos, len), y.AsSpan(pos, len));
        }
        p.Flush(y.AsSpan(x.Length));
        var stereo = TestSignals.Deinterleave(y, 2);
        foreach (var (mono, got) in new[] { (left, stereo[0]), (right, stereo[1]) })
        {
            var expected = new float[mono.Length + delay];
            var q = new CompressorProcessor(c, delay, Sr);
            q.Process(mono, expected.AsSpan(0, mono.Length));
            q.Flush(expected.AsSpan(mono.Length));
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void BallisticsUseThe2200Rule()
    {
        Assert.Equal(1 - Math.Exp(-2200 / (10 * 44100.0)), Ballistics.Coefficient(10, 44100), 15);
        foreach (double ms in new[] { 0.1, 1, 2.86, 243, 1000 })
            Assert.Equal(ms, Ballistics.Milliseconds(Ballistics.Coefficient(ms, 44100), 44100), ms * 1e-12);
    }
}
