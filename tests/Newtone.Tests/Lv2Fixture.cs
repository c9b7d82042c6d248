namespace Newtone.Tests;

/// <summary>Where the LV2 tests can run: clang (Native AOT) and, for the real hosts, Debian's lilv-utils.</summary>
internal static class Lv2Tools
{
    public static bool Has(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    public static string? MissingForBuild =>
        !OperatingSystem.IsLinux() ? "LV2 plugins are built on Linux"
        : !Has("clang") ? "Native AOT needs clang and zlib1g-dev (apt-get install clang zlib1g-dev; .ci/run installs them)"
        : null;

    public static string? MissingForHosts => MissingForBuild ?? (!Has("lv2apply") || !Has("lv2ls") || !Has("lv2info")
        ? "the real LV2 hosts need Debian's lilv-utils (apt-get install lilv-utils; .ci/run installs it)" : null);

    /// <summary>Runs a program; returns its exit code and output.</summary>
    public static (int Exit, string Out, string Err) Run(string program, IDictionary<string, string>? env, params string[] args) =>
        Programs.Run(program, args, null, env?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));

}

/// <summary>A [Fact] that skips with the printed reason where the LV2 toolchain or hosts are absent.</summary>
public sealed class Lv2FactAttribute : FactAttribute
{
    public Lv2FactAttribute(bool hosts = true)
    {
        if ((hosts ? Lv2Tools.MissingForHosts : Lv2Tools.MissingForBuild) is { } why) Skip = why;
    }
}

/// <summary>A [Theory] that skips like <see cref="Lv2FactAttribute"/>.</summary>
public sealed class Lv2TheoryAttribute : TheoryAttribute
{
    public Lv2TheoryAttribute()
    {
        if (Lv2Tools.MissingForHosts is { } why) Skip = why;
    }
}

/// <summary>
/// Bundles built once for the LV2 tests, by <c>newtone plugin build</c> as a user runs it: the published presets, a
/// sweep's runs, one delayed run and a GRU, each in its own folder (LV2_PATH points at one folder per bundle).
/// </summary>
public sealed class Lv2Fixture : IDisposable
{
    public const int Sr = 44100;
    private readonly TempDir _dir = new();

    public Lv2Fixture()
    {
        if (Lv2Tools.MissingForBuild is not null) return;
        Directory.CreateDirectory(Root("published"));
        var r = Cli.Run(_dir.Path, "plugin", "build", "--out", "published/LA2A.lv2");
        if (r.Exit != 0) throw new InvalidOperationException("plugin build failed: " + r.Err + r.Out);
        // A checkpoint with small random weights, trained at 44.1 kHz.
        var rng = new Rng(5);
        var p = new double[GruModel.Count];
        for (int i = 0; i < p.Length; i++) p[i] = 0.4 * rng.Uniform(-0.6, 0.6);
        new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(new GruModel(p)), Options = new GruTrainingOptions(), SampleRate = Sr }.Save(_dir["gru.json"]);
        Directory.CreateDirectory(Root("gru"));
        r = Cli.Run(_dir.Path, "plugin", "build", "--out", "gru/LA2A-GRU.lv2", "--gru", "gru.json", "--uri", "urn:newtone:test:gru", "--name", "GRU test");
        if (r.Exit != 0) throw new InvalidOperationException("plugin build --gru failed: " + r.Err + r.Out);
        // A single fitted run with a look-ahead.
        var truth = PublishedSettings.At(La2aMode.Limit, 65);
        var (x, y) = TestSignals.Pair(3, Sr, truth, 9, noiseDbfs: -80, delay: 64);
        WavFile.WriteFloat(_dir["fx.wav"], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(_dir["fy.wav"], new AudioBuffer(y, Sr));
        r = Cli.Run(_dir.Path, "fit", "ckpt_dir=run", "data.train.input=fx.wav", "data.train.target=fy.wav", "data.duration=1", "data.overlap=0.25",
            "compressor.delay=64", "epochs=5", "search.enabled=false", "-q");
        if (r.Exit != 0) throw new InvalidOperationException("fit failed: " + r.Err + r.Out);
        Directory.CreateDirectory(Root("run"));
        r = Cli.Run(_dir.Path, "plugin", "build", "--out", "run/Run.lv2", "--run", "run", "--uri", "urn:newtone:test:run");
        if (r.Exit != 0) throw new InvalidOperationException("plugin build --run failed: " + r.Err + r.Out);
        // A fitted run of the opto model (docs/model.md §11), no look-ahead.
        r = Cli.Run(_dir.Path, "fit", "model=opto", "ckpt_dir=optorun", "data.train.input=fx.wav", "data.train.target=fy.wav", "data.duration=2",
            "data.overlap=0.25", "epochs=3", "search.enabled=false", "-q");
        if (r.Exit != 0) throw new InvalidOperationException("opto fit failed: " + r.Err + r.Out);
        Directory.CreateDirectory(Root("opto"));
        r = Cli.Run(_dir.Path, "plugin", "build", "--out", "opto/Opto.lv2", "--run", "optorun", "--uri", "urn:newtone:test:opto");
        if (r.Exit != 0) throw new InvalidOperationException("plugin build --run (opto) failed: " + r.Err + r.Out);
    }

    public string Dir => _dir.Path;

    public string this[string name] => _dir[name];

    /// <summary>The folder holding one bundle (what LV2_PATH names).</summary>
    public string Root(string kind) => _dir[kind];

    public string Bundle(string kind) => Directory.GetDirectories(Root(kind), "*.lv2").Single();

    public void Dispose() => _dir.Dispose();
}
