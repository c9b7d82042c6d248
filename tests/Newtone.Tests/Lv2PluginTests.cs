namespace Newtone.Tests;

/// <summary>
/// Issue 10: the LV2 plugin in hosts nobody here wrote (Debian's lilv-utils: lv2ls, lv2info, lv2apply) and in our own
/// host through the C ABI. Skipped with the printed reason where clang or lilv-utils are absent; .ci/run installs them.
/// </summary>
public class Lv2PluginTests(Lv2Fixture fx) : IClassFixture<Lv2Fixture>
{
    private const int Sr = Lv2Fixture.Sr;

    private static Dictionary<string, string> Path(string root) => new() { ["LV2_PATH"] = root };

    private static float[][] Music(int channels, double seconds, ulong seed) =>
        Enumerable.Range(0, channels).Select(c => MusicGenerator.Generate(seconds, Sr, seed + (ulong)c).Select(v => v * (c == 0 ? 1f : 0.6f)).ToArray()).ToArray();

    [Lv2Fact]
    public void Lv2lsAndLv2infoAcceptTheBundlesAndShowThePortsAsDeclared()
    {
        var ls = Lv2Tools.Run("lv2ls", Path(fx.Root("published")));
        Assert.Equal(0, ls.Exit);
        Assert.Contains("urn:newtone:la2a#mono", ls.Out);
        Assert.Contains("urn:newtone:la2a#stereo", ls.Out);
        var info = Lv2Tools.Run("lv2info", Path(fx.Root("published")), "urn:newtone:la2a#stereo");
        Assert.Equal(0, info.Exit);
        foreach (var s in new[] { "Symbol:      in_l", "Symbol:      out_r", "Symbol:      peak_reduction", "Minimum:     40.000000", "Maximum:     100.000000",
            "Symbol:      mode", "= \"limit\"", "Symbol:      gain", "Minimum:     -24.000000", "Has latency:       no" })
            Assert.Contains(s, info.Out);
        var run = Lv2Tools.Run("lv2info", Path(fx.Root("run")), "urn:newtone:test:run#mono");
        Assert.Equal(0, run.Exit);
        Assert.DoesNotContain("peak_reduction", run.Out);   // one fitted setting: no knob
        Assert.Contains("Symbol:      latency", run.Out);
        Assert.Contains("Has latency:       yes", run.Out);
        var gru = Lv2Tools.Run("lv2info", Path(fx.Root("gru")), "urn:newtone:test:gru#mono");
        Assert.Contains("Symbol:      gru", gru.Out);
        Assert.Contains("GRU test (mono)", gru.Out);
    }

    public static TheoryData<int, int, int> Settings() => new()
    {
        { 1, 0, 72 }, { 1, 1, 72 }, { 1, 0, 45 }, { 1, 1, 100 }, { 2, 0, 72 }, { 2, 1, 55 }, { 2, 0, 40 },
    };

    [Lv2Theory]
    [MemberData(nameof(Settings))]
    public void Lv2applyEqualsNewtoneProcess(int channels, int mode, int peak)
    {
        using var dir = new TempDir();
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(Music(channels, 3, 17), Sr));
        string uri = "urn:newtone:la2a#" + (channels == 1 ? "mono" : "stereo");
        var apply = Lv2Tools.Run("lv2apply", Path(fx.Root("published")), "-i", dir["in.wav"], "-o", dir["lv2.wav"],
            "-c", "peak_reduction", peak.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "mode", mode.ToString(System.Globalization.CultureInfo.InvariantCulture), uri);
        Assert.True(apply.Exit == 0, apply.Err);
        var proc = Cli.Run(dir.Path, "process", "in.wav", "nt.wav", "--peak-reduction", peak.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mode", mode == 0 ? "compress" : "limit");
        Assert.True(proc.Exit == 0, proc.Err);
        AssertClose(WavFile.Read(dir["nt.wav"]).Channels, WavFile.Read(dir["lv2.wav"]).Channels, 0);
    }

    [Lv2Fact]
    public void Lv2applyEqualsNewtoneProcessWithTheGruAndWithAFittedRunsLookAhead()
    {
        using var dir = new TempDir();
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(Music(2, 3, 23), Sr));
        var apply = Lv2Tools.Run("lv2apply", Path(fx.Root("gru")), "-i", dir["in.wav"], "-o", dir["lv2.wav"], "-c", "peak_reduction", "66", "-c", "mode", "1",
            "urn:newtone:test:gru#stereo");
        Assert.True(apply.Exit == 0, apply.Err);
        var proc = Cli.Run(dir.Path, "process", "in.wav", "nt.wav", "--peak-reduction", "66", "--mode", "limit", "--gru", fx["gru.json"]);
        Assert.True(proc.Exit == 0, proc.Err);
        AssertClose(WavFile.Read(dir["nt.wav"]).Channels, WavFile.Read(dir["lv2.wav"]).Channels, 0);

        // A fitted run with a 64-sample look-ahead: the plugin reports the latency and its output lags by it.
        WavFile.WriteFloat(dir["mono.wav"], new AudioBuffer(Music(1, 3, 29), Sr));
        apply = Lv2Tools.Run("lv2apply", Path(fx.Root("run")), "-i", dir["mono.wav"], "-o", dir["lv2run.wav"], "urn:newtone:test:run#mono");
        Assert.True(apply.Exit == 0, apply.Err);
        proc = Cli.Run(dir.Path, "process", "mono.wav", "ntrun.wav", "--run", fx["run"]);
        Assert.True(proc.Exit == 0, proc.Err);
        AssertClose(WavFile.Read(dir["ntrun.wav"]).Channels, WavFile.Read(dir["lv2run.wav"]).Channels, 64);
    }

    [Lv2Fact]
    public void Lv2applyEqualsNewtoneProcessForAnOptoRun()
    {
        using var dir = new TempDir();
        Assert.Equal(ModelKind.Opto, RunParameters.Load(fx["optorun"]).Kind);
        foreach (var (ch, uri) in new[] { (1, "urn:newtone:test:opto#mono"), (2, "urn:newtone:test:opto#stereo") })
        {
            WavFile.WriteFloat(dir[$"in{ch}.wav"], new AudioBuffer(Music(ch, 3, 31), Sr));
            var apply = Lv2Tools.Run("lv2apply", Path(fx.Root("opto")), "-i", dir[$"in{ch}.wav"], "-o", dir[$"lv2-{ch}.wav"], uri);
            Assert.True(apply.Exit == 0, apply.Err);
            var proc = Cli.Run(dir.Path, "process", $"in{ch}.wav", $"nt-{ch}.wav", "--run", fx["optorun"]);
            Assert.True(proc.Exit == 0, proc.Err);
            AssertClose(WavFile.Read(dir[$"nt-{ch}.wav"]).Channels, WavFile.Read(dir[$"lv2-{ch}.wav"]).Channels, 0);
        }
    }

    [Lv2Fact]
    public void ThePortableAndTheAvx512BuildsGiveTheSameOutput()
    {
        // Bundles carry both builds; the portable one hands over to the AVX-512 one where the CPU has it (and the bundle
        // has a GRU). NEWTONE_LV2_PORTABLE=1 keeps the portable one: both must equal newtone process.
        Assert.True(File.Exists(System.IO.Path.Combine(fx.Bundle("gru"), Newtone.Plugin.Lv2Exports.Avx512File)));
        using var dir = new TempDir();
        WavFile.WriteFloat(dir["in.wav"], new AudioBuffer(Music(1, 2, 41), Sr));
        var proc = Cli.Run(dir.Path, "process", "in.wav", "nt.wav", "--peak-reduction", "58", "--mode", "compress", "--gru", fx["gru.json"]);
        Assert.True(proc.Exit == 0, proc.Err);
        var expected = WavFile.Read(dir["nt.wav"]).Channels;
        foreach (var portable in new[] { "1", "0" })
        {
            var env = Path(fx.Root("gru"));
            env["NEWTONE_LV2_PORTABLE"] = portable;
            var apply = Lv2Tools.Run("lv2apply", env, "-i", dir["in.wav"], "-o", dir[$"lv2-{portable}.wav"], "-c", "peak_reduction", "58", "-c", "mode", "0",
                "urn:newtone:test:gru#mono");
            Assert.True(apply.Exit == 0, apply.Err);
            AssertClose(expected, WavFile.Read(dir[$"lv2-{portable}.wav"]).Channels, 0);
        }
    }

    /// <summary>Per sample within 1e-6, the plugin's output lagging by <paramref name="latency"/>.</summary>
    private static void AssertClose(float[][] expected, float[][] got, int latency)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int c = 0; c < expected.Length; c++)
        {
            int n = expected[c].Length - latency;
            double worst = 0;
            for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(expected[c][i] - got[c][i + latency]));
            Assert.True(worst <= 1e-6, $"channel {c}: largest difference {worst:G3}");
            Assert.True(expected[c].Take(n).Max(Math.Abs) > 0.05f, "the test signal is silent");
        }
    }

    [Lv2Fact(hosts: false)]
    public void BlocksOf1And37And4096GiveTheSameOutput()
    {
        var x = Music(2, 2, 31);
        using var a = new Lv2Host(fx.Bundle("published"), 1, Sr, 7);
        using var b = new Lv2Host(fx.Bundle("published"), 1, Sr, 7);
        using var c = new Lv2Host(fx.Bundle("published"), 1, Sr, 7);
        foreach (var h in new[] { a, b, c })
        {
            h.Control(4, -3);    // gain
            h.Control(5, 80);    // peak reduction
            h.Control(6, 0);     // compress
            h.Activate();
        }
        var y1 = a.Process(x, [1]);
        var y37 = b.Process(x, [37]);
        var y4096 = c.Process(x, [4096, 0, 4096]);
        for (int ch = 0; ch < 2; ch++)
        {
            Assert.Equal(y1[ch], y37[ch]);
            Assert.Equal(y1[ch], y4096[ch]);
        }
    }

    [Lv2Fact(hosts: false)]
    public void APeakReductionSweepDuringPlaybackMakesNoClick()
    {
        // A steady 200 Hz tone at −6 dBFS: every step in the output beyond the tone's own must come from the controls.
        int n = Sr;
        var tone = new[] { Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 200 * i / Sr))).ToArray() };
        double MaxStep(float[] y, int from) => Enumerable.Range(from + 1, y.Length - from - 1).Max(i => Math.Abs(y[i] - y[i - 1]));
        double Static(float peak, float mode)
        {
            using var h = new Lv2Host(fx.Bundle("published"), 0, Sr, 5);
            h.Control(2, 0);
            h.Control(3, peak);
            h.Control(4, mode);
            h.Activate();
            return MaxStep(h.Process(tone, [64])[0], Sr / 10);
        }
        double bound = new[] { Static(40, 0), Static(100, 0), Static(40, 1), Static(100, 1) }.Max();
        using var sweep = new Lv2Host(fx.Bundle("published"), 0, Sr, 5);
        sweep.Control(2, 0);
        sweep.Control(3, 40);
        sweep.Control(4, 0);
        sweep.Activate();
        // Jump the knobs every 64 samples: 40 → 100 → 40 …, compress ↔ limit, gain 0 ↔ +6 dB.
        var y = sweep.Process(tone, [64], pos =>
        {
            int k = pos / 64;
            sweep.Control(3, k % 40 < 20 ? 100 : 40);
            sweep.Control(4, k % 30 < 15 ? 0 : 1);
            sweep.Control(2, k % 50 < 25 ? 0 : 6);
        })[0];
        double worst = MaxStep(y, Sr / 10);
        // The tone at +6 dB steps by twice as much; anything beyond that is a click.
        Assert.True(worst <= 2 * bound * 1.05, $"largest step {worst:G4} against {2 * bound:G4} for the tone itself");
    }

    [Lv2Fact(hosts: false)]
    public void ActivateAfterDeactivateRestartsCleanly()
    {
        var x = Music(1, 1, 37);
        using var h = new Lv2Host(fx.Bundle("gru"), 0, Sr, 6);
        h.Control(2, 0);
        h.Control(3, 70);
        h.Control(4, 1);
        h.Control(5, 1);
        h.Activate();
        var first = h.Process(x, [256]);
        h.Deactivate();
        h.Activate();
        var second = h.Process(x, [100]);
        Assert.Equal(first[0], second[0]);
        // Denormal input is flushed: it gives exactly what silence gives (blocks of 0 frames in between change nothing).
        h.Deactivate();
        h.Activate();
        var silence = h.Process([new float[4096]], [4096]);
        h.Deactivate();
        h.Activate();
        var denormal = h.Process([Enumerable.Repeat(1e-40f, 4096).ToArray()], [0, 1000, 0, 3096]);
        Assert.Equal(silence[0], denormal[0]);
        Assert.All(denormal[0], v => Assert.True(float.IsFinite(v)));
    }
}
