namespace Newtone.Tests;

/// <summary>
/// The single-precision GruStream against a plain scalar double implementation of docs/model.md §7 written here
/// (no SIMD, no shared code), over long music-like and noisy signals, and its block-size independence.
/// </summary>
public class GruStreamTests
{
    private static GruModel RandomModel(ulong seed, double scale)
    {
        var rng = new Rng(seed);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = scale * rng.Uniform(-1, 1);
        return new GruModel(p);
    }

    /// <summary>r, z, n and h' of the PyTorch GRU cell, one unit at a time, in double precision.</summary>
    private static double[] Reference(GruModel m, float[] x)
    {
        const int H = GruModel.Hidden;
        double[] p = m.Parameters;
        var h = new double[H];
        var next = new double[H];
        var y = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            double u = x[t];
            for (int k = 0; k < H; k++)
            {
                double ar = p[GruModel.WihOffset + k] * u + p[GruModel.BihOffset + k] + p[GruModel.BhhOffset + k];
                double az = p[GruModel.WihOffset + H + k] * u + p[GruModel.BihOffset + H + k] + p[GruModel.BhhOffset + H + k];
                double hn = p[GruModel.BhhOffset + 2 * H + k];
                for (int j = 0; j < H; j++)
                {
                    ar += p[GruModel.WhhOffset + k * H + j] * h[j];
                    az += p[GruModel.WhhOffset + (H + k) * H + j] * h[j];
                    hn += p[GruModel.WhhOffset + (2 * H + k) * H + j] * h[j];
                }
                double r = 1 / (1 + Math.Exp(-ar)), z = 1 / (1 + Math.Exp(-az));
                double n = Math.Tanh(p[GruModel.WihOffset + 2 * H + k] * u + p[GruModel.BihOffset + 2 * H + k] + r * hn);
                next[k] = (1 - z) * n + z * h[k];
            }
            (h, next) = (next, h);
            double o = u + p[GruModel.LinBOffset];
            for (int k = 0; k < H; k++) o += p[GruModel.LinWOffset + k] * h[k];
            y[t] = o;
        }
        return y;
    }

    public static TheoryData<ulong, double, string> Cases => new()
    {
        { 1, 0.6, "music" }, { 2, 1.5, "music" }, { 3, 1.0, "noise" }, { 4, 0.3, "noise" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatStreamMatchesAScalarDoubleReferenceToWithin1e5(ulong seed, double scale, string signal)
    {
        var m = RandomModel(seed, scale);
        var rng = new Rng(seed + 100);
        float[] x = signal == "music"
            ? MusicGenerator.Generate(4, 44100, seed)
            : Enumerable.Range(0, 4 * 44100).Select(_ => (float)(0.7 * rng.Gaussian())).ToArray();
        var want = Reference(m, x);
        // Both paths where AVX-512 runs (the 512-bit one by default, the 256-bit one as on other processors).
        foreach (bool wide in GruStream.Runs512 ? new[] { true, false } : [false])
        {
            var got = new float[x.Length];
            new GruStream(m) { Wide = wide }.Process(x, got);
            double worst = 0, correction = 0;
            for (int t = 0; t < x.Length; t++)
            {
                worst = Math.Max(worst, Math.Abs(got[t] - want[t]) / Math.Max(1, Math.Abs(want[t])));
                correction = Math.Max(correction, Math.Abs(want[t] - x[t]));
            }
            Assert.True(worst < 1e-5, $"{(wide ? 512 : 256)} bits: worst relative difference {worst:E2} over {x.Length} samples");
            Assert.True(correction > 1e-2, "the GRU's correction is negligible; the comparison proves nothing");
        }
    }

    /// <summary>The paths this machine runs: the 512-bit one where AVX-512 runs, and the 256-bit one everywhere.</summary>
    private static bool[] Widths => GruStream.Runs512 ? [true, false] : [false];

    [Fact]
    public void AnyBlockSizesGiveTheWholeFileResultAndTheStateRoundTrips()
    {
        var m = RandomModel(9, 1);
        var x = MusicGenerator.Generate(1, 44100, 9);
        foreach (bool wide in Widths)
        {
            var whole = new float[x.Length];
            new GruStream(m) { Wide = wide }.Process(x, whole);
            foreach (int maxBlock in new[] { 1, 3, 64, 1000 })
            {
                var s = new GruStream(m) { Wide = wide };
                var rng = new Rng((ulong)maxBlock);
                var streamed = new float[x.Length];
                for (int pos = 0; pos < x.Length;)
                {
                    int n = Math.Min(x.Length - pos, 1 + rng.Next(maxBlock));
                    s.Process(x.AsSpan(pos, n), streamed.AsSpan(pos, n));
                    pos += n;
                }
                Assert.Equal(whole, streamed);
            }
            // In place, and resumed from a saved state in a fresh processor.
            var a = new GruStream(m) { Wide = wide };
            var buf = (float[])x.Clone();
            a.Process(buf.AsSpan(0, 5000), buf.AsSpan(0, 5000));
            var b = new GruStream(m) { State = a.State, Wide = wide };
            b.Process(buf.AsSpan(5000), buf.AsSpan(5000));
            Assert.Equal(whole, buf);
        }
    }

    [Fact]
    public void ANaNOrInfiniteSampleSpoilsItsOwnOutputOnlyOnEveryPath()
    {
        // The gates see NaN as 0 and ±∞ as ±1e30: the output at a bad sample is not finite (it adds the raw input), and every
        // other output, and the state, is what the stream gives for those stand-ins; alone or in a pair, on every path.
        var m = RandomModel(12, 0.8);
        var x = MusicGenerator.Generate(0.5, 16000, 12);
        var bad = (float[])x.Clone();
        var standIn = (float[])x.Clone();
        bad[100] = float.NaN; standIn[100] = 0;
        bad[2000] = float.PositiveInfinity; standIn[2000] = 1e30f;
        bad[3000] = float.NegativeInfinity; standIn[3000] = -1e30f;
        foreach (bool wide in Widths)
        {
            var got = new float[x.Length];
            var want = new float[x.Length];
            var sBad = new GruStream(m, 16000) { Wide = wide };
            var sStand = new GruStream(m, 16000) { Wide = wide };
            sBad.Process(bad, got);
            sStand.Process(standIn, want);
            Assert.True(float.IsNaN(got[100]));
            Assert.Equal(float.PositiveInfinity, got[2000]);
            Assert.Equal(float.NegativeInfinity, got[3000]);
            for (int t = 0; t < x.Length; t++)
                if (t is not (100 or 2000 or 3000)) Assert.Equal(want[t], got[t]);
            Assert.Equal(sStand.State, sBad.State);
            Assert.All(sBad.State, v => Assert.True(double.IsFinite(v)));
            // Beside a clean stream in a pair: the same bits.
            var paired = new float[x.Length];
            var clean = new float[x.Length];
            GruStream.ProcessPair(new GruStream(m, 16000) { Wide = wide }, bad, paired, new GruStream(m, 16000) { Wide = wide }, x, clean);
            for (int t = 0; t < x.Length; t++)
                if (t is not (100 or 2000 or 3000)) Assert.Equal(want[t], paired[t]);
        }
    }

    [Fact]
    public void WithoutAvx512TheRendererRunsThe256BitPathToTheSameNumbers()
    {
        // `gru render` in a process where the runtime may not use AVX-512 (DOTNET_EnableAVX512F=0): the 256-bit path with its
        // min/max clamps, as on processors without AVX-512. Against that path run here (vrangeps clamps) to within rounding
        // (the runtime may sum the output's eight products in another order), and against the double reference above.
        using var dir = new TempDir();
        var model = RandomModel(41, 0.8);
        new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(model), Options = new GruTrainingOptions(), SampleRate = 16000 }.Save(dir["gru.json"]);
        var x = MusicGenerator.Generate(2.5, 16000, 41);
        Directory.CreateDirectory(dir["src"]);
        WavFile.WriteFloat(dir["src/a_3c.wav"], new AudioBuffer(x, 16000));
        var r = Programs.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "newtone.dll"), "gru", "render", "--model", "gru.json", "--source", "src",
            "--pattern", "3c", "--out", "out"], dir.Path, new Dictionary<string, string?> { ["DOTNET_EnableAVX512F"] = "0" });
        Assert.True(r.Exit == 0, r.Err);
        var rendered = WavFile.Read(dir["out/a_3c.wav"]).Channels[0];
        Assert.Equal(x.Length, rendered.Length);
        var narrow = new float[x.Length];
        new GruStream(model, 16000) { Wide = false }.Process(x, narrow);
        var want = Reference(model, x);
        double worst = 0;
        for (int t = 0; t < x.Length; t++)
        {
            worst = Math.Max(worst, Math.Abs(rendered[t] - narrow[t]));
            Assert.True(Math.Abs(rendered[t] - want[t]) < 2e-6, $"sample {t}: {rendered[t]} vs {want[t]}");
        }
        Assert.True(worst < 1e-6, $"worst difference from the 256-bit path here {worst:E2}");
    }

    [Fact]
    public void TwoStreamsAtOnceGiveEachExactlyItsOwnOutput()
    {
        // ProcessPair (both streams in one 16-float vector where AVX-512 runs) against each stream alone, bit for bit,
        // across blocks of unequal lengths (the common part together, the rest alone) and with the state carried; and
        // against the double reference above for the 1e-7-of-full-scale agreement.
        var model = RandomModel(21, 0.6);
        var a = MusicGenerator.Generate(1.0, 16000, 5);
        var b = MusicGenerator.Generate(1.3, 16000, 6);
        var soloA = new float[a.Length];
        var soloB = new float[b.Length];
        var sa = new GruStream(model, 16000);
        var sb = new GruStream(model, 16000);
        sa.Process(a, soloA);
        sb.Process(b, soloB);
        var pa = new GruStream(model, 16000);
        var pb = new GruStream(model, 16000);
        var outA = new float[a.Length];
        var outB = new float[b.Length];
        int ia = 0, ib = 0;
        var rng = new Rng(9);
        while (ia < a.Length || ib < b.Length)
        {
            int na = Math.Min(a.Length - ia, 1 + (int)(rng.NextDouble() * 3000));
            int nb = Math.Min(b.Length - ib, 1 + (int)(rng.NextDouble() * 3000));
            GruStream.ProcessPair(pa, a.AsSpan(ia, na), outA.AsSpan(ia, na), pb, b.AsSpan(ib, nb), outB.AsSpan(ib, nb));
            ia += na;
            ib += nb;
        }
        Assert.Equal(soloA, outA);
        Assert.Equal(soloB, outB);
        Assert.Equal(sa.State, pa.State);
        Assert.Equal(sb.State, pb.State);
        var refA = Reference(model, a);
        for (int t = 0; t < a.Length; t++) Assert.True(Math.Abs(outA[t] - refA[t]) < 2e-6, $"sample {t}: {outA[t]} vs {refA[t]}");
        // A different model in the second stream: processed one after the other, still each its own.
        var other = RandomModel(22, 0.6);
        var qa = new GruStream(model, 16000);
        var qb = new GruStream(other, 16000);
        var ob = new float[b.Length];
        GruStream.ProcessPair(qa, a, outA, qb, b, ob);
        var alone = new float[b.Length];
        new GruStream(other, 16000).Process(b, alone);
        Assert.Equal(soloA, outA);
        Assert.Equal(alone, ob);
        // A stream on the 256-bit path beside one on the 512-bit path: one after the other, each as alone.
        if (GruStream.Runs512)
        {
            var na = new GruStream(model, 16000) { Wide = false };
            var nb = new GruStream(model, 16000);
            var narrowA = new float[a.Length];
            var wideB = new float[b.Length];
            GruStream.ProcessPair(na, a, narrowA, nb, b, wideB);
            var aloneA = new float[a.Length];
            new GruStream(model, 16000) { Wide = false }.Process(a, aloneA);
            Assert.Equal(aloneA, narrowA);
            Assert.Equal(soloB, wideB);
        }
        // An output shifted against its own input is refused, alone and in a pair; the same span (in place) is not.
        var buffer = (float[])a.Clone();
        Assert.Throws<ArgumentException>(() => new GruStream(model, 16000).Process(buffer.AsSpan(0, 100), buffer.AsSpan(1, 100)));
        Assert.Throws<ArgumentException>(() => new GruStream(model, 16000).Process(buffer.AsSpan(1, 100), buffer.AsSpan(0, 100)));
        Assert.Throws<ArgumentException>(() => GruStream.ProcessPair(new GruStream(model, 16000), buffer.AsSpan(0, 100), buffer.AsSpan(3, 100),
            new GruStream(model, 16000), b.AsSpan(0, 100), new float[100]));
        Assert.Equal(a, buffer);
        new GruStream(model, 16000).Process(buffer.AsSpan(0, 100), buffer.AsSpan(0, 100));
        // Buffers shared between the two streams are refused (the result would depend on the order of the work).
        var shared = new float[100];
        Assert.Throws<ArgumentException>(() => GruStream.ProcessPair(qa, a.AsSpan(0, 100), shared, qb, shared, ob.AsSpan(0, 100)));
    }

    [Fact]
    public void FilesRenderedInPairsAreEachTheirOwnStreamsOutput()
    {
        // GruRenderer.RenderPair: a mono and a stereo file of different lengths (longer than one 32768-frame block), both
        // against each channel run alone through its own stream.
        using var dir = new TempDir();
        var model = RandomModel(31, 0.5);
        var mono = MusicGenerator.Generate(3.1, 16000, 1);
        var left = MusicGenerator.Generate(2.2, 16000, 2);
        var right = MusicGenerator.Generate(2.2, 16000, 3);
        WavFile.WriteFloat(dir["a.wav"], new AudioBuffer(mono, 16000));
        WavFile.WriteFloat(dir["b.wav"], new AudioBuffer([left, right], 16000));
        long n = GruRenderer.RenderPair(model, (dir["a.wav"], dir["a-out.wav"]), (dir["b.wav"], dir["b-out.wav"]));
        Assert.Equal(mono.Length + left.Length, n);
        float[] Alone(float[] x)
        {
            var y = new float[x.Length];
            new GruStream(model, 16000).Process(x, y);
            return y;
        }
        Assert.Equal(Alone(mono), WavFile.Read(dir["a-out.wav"]).Channels[0]);
        var b = WavFile.Read(dir["b-out.wav"]);
        Assert.Equal(Alone(left), b.Channels[0]);
        Assert.Equal(Alone(right), b.Channels[1]);
        Assert.Equal(["a-out.wav", "a.wav", "b-out.wav", "b.wav"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
