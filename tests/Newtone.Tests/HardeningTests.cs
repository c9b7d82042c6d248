using System.Diagnostics;

namespace Newtone.Tests;

/// <summary>
/// Issue 9, the classes this file covers: outputs never overwrite inputs; a failed refit never looks finished; a
/// resumed sweep never mixes options; SIGTERM; stale temporary files; errors inside parallel work; a full disk and a
/// read-only folder; impossible configuration values and malformed YAML; command-line parse errors; dataset files
/// skipped are reported; compare with nothing to compare or with two methods of one name; tables fit 80 columns.
/// Each test injects the fault and checks the exit code, the one-line message and what is (not) on disk.
/// </summary>
public class HardeningTests
{
    private const int Sr = 16000;

    private static (string Input, string Target) Pair(TempDir dir, double seconds = 4, string name = "in.wav", string target = "out.wav")
    {
        var (x, y) = TestSignals.Pair(seconds, Sr, PublishedSettings.At(La2aMode.Compress, 70), 3, noiseDbfs: -80);
        WavFile.WriteFloat(dir[name], new AudioBuffer(x, Sr));
        WavFile.WriteFloat(dir[target], new AudioBuffer(y, Sr));
        return (dir[name], dir[target]);
    }

    private static void AssertOneErrorLine(string stderr, params string[] contains)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one line, got:\n{stderr}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (var c in contains) Assert.Contains(c, lines[0]);
        Assert.DoesNotContain("Exception", lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    private static string[] Temps(string folder) => Directory.GetFiles(folder, ".*.tmp", SearchOption.AllDirectories);

    private static string Tree(TempDir dir, params int[] levels)
    {
        SyntheticDataset.Write(dir["data"], new SyntheticDataset.Options
        {
            SampleRate = Sr, Seconds = 3, Levels = levels, Truth = WorkflowTests.Linear, NoiseDbfs = double.NegativeInfinity,
        });
        return dir["data"];
    }

    private static void Sweep(TempDir dir, params int[] levels) =>
        Study.Sweep.Run(SignalTrainIndex.Scan(dir["data"]), La2aMode.Compress, dir["runs"], levels, FitConfig.Load(null, WorkflowTests.FitOptions));

    // ---- Data loss ----------------------------------------------------------------------------------------------

    [Fact]
    public void ProcessRefusesAnOutputThatIsTheInputThroughALinkOrDotDot()
    {
        using var dir = new TempDir();
        var (input, _) = Pair(dir);
        byte[] before = File.ReadAllBytes(input);
        File.CreateSymbolicLink(dir["link.wav"], input);
        Directory.CreateDirectory(dir["sub"]);
        foreach (var output in new[] { "link.wav", "sub/../in.wav", dir["in.wav"] })
        {
            var r = Cli.Run(dir.Path, "process", "in.wav", output, "--peak-reduction", "60", "--mode", "compress");
            Assert.Equal(2, r.Exit);
            AssertOneErrorLine(r.Err, "would overwrite the input");
            Assert.Equal(before, File.ReadAllBytes(input));
        }
        // The link given as the input and the real file as the output: the same file all the same.
        var back = Cli.Run(dir.Path, "process", "link.wav", "in.wav", "--peak-reduction", "60", "--mode", "compress");
        Assert.Equal(2, back.Exit);
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Empty(Temps(dir.Path));
    }

    [Fact]
    public void RenderRefusesAnOutputFolderInsideTheDatasetEvenWithForce()
    {
        using var dir = new TempDir();
        Tree(dir, 100, 90);
        Sweep(dir, 100, 90);
        var targets = Directory.GetFiles(dir["data"], "target_*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        File.CreateSymbolicLink(dir["alias"], dir["data"]);
        foreach (var output in new[] { "data", "data/Train", "alias", "data/../data" })
        {
            var r = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", output, "--force");
            Assert.Equal(2, r.Exit);
            AssertOneErrorLine(r.Err, "output folder");
        }
        foreach (var (f, bytes) in targets) Assert.Equal(bytes, File.ReadAllBytes(f));
        Assert.Empty(Temps(dir["data"]));
    }

    [Fact]
    public void GruRenderRefusesToWriteIntoItsSourceTreeAndProcessRefusesAnotherRate()
    {
        using var dir = new TempDir();
        Pair(dir);
        Directory.CreateDirectory(dir["src"]);
        File.Copy(dir["in.wav"], dir["src/a_3c__0__75.wav"]);
        byte[] before = File.ReadAllBytes(dir["src/a_3c__0__75.wav"]);
        new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(GruModel.Initialise(1)), Options = new GruTrainingOptions(), SampleRate = Sr }.Save(dir["gru.json"]);
        foreach (var output in new[] { "src", "src/sub", "./src/." })
        {
            var r = Cli.Run(dir.Path, "gru", "render", "--model", "gru.json", "--source", "src", "--pattern", "3c", "--out", output);
            Assert.Equal(2, r.Exit);
            AssertOneErrorLine(r.Err, "output folder");
            Assert.Equal(before, File.ReadAllBytes(dir["src/a_3c__0__75.wav"]));
        }
        // A checkpoint trained at 16 kHz is not applied to 44.1 kHz audio.
        var x = MusicGenerator.Generate(1, 44100, 2);
        WavFile.WriteFloat(dir["cd.wav"], new AudioBuffer(x, 44100));
        var p = Cli.Run(dir.Path, "process", "cd.wav", "o.wav", "--peak-reduction", "60", "--mode", "compress", "--gru", "gru.json");
        Assert.Equal(2, p.Exit);
        AssertOneErrorLine(p.Err, "16000 Hz", "44100 Hz");
        Assert.False(File.Exists(dir["o.wav"]));
    }

    [Fact]
    public void ARefitThatFailsWhileWritingLeavesNoRunThatLooksFinished()
    {
        using var dir = new TempDir();
        Pair(dir, 5);
        string[] fit = ["fit", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav", "data.duration=2", "data.overlap=0.25", "epochs=3", "-q"];
        Assert.Equal(0, Cli.Run(dir.Path, fit).Exit);
        Assert.True(File.Exists(dir["run/params.json"]));
        // Make the second write of the run fail: history.csv is now a folder that cannot be replaced by a file.
        File.Delete(dir["run/history.csv"]);
        Directory.CreateDirectory(dir["run/history.csv/blocker"]);
        var r = Cli.Run(dir.Path, fit);
        Assert.Equal(1, r.Exit);
        AssertOneErrorLine(r.Err, "history.csv");
        // No params.json: the run is not complete, so nothing can mistake the new config.yaml for the old fit's.
        Assert.False(File.Exists(dir["run/params.json"]));
        Assert.Empty(Temps(dir["run"]));
    }

    [Fact]
    public void AResumedSweepWithOtherOptionsStopsAndNamesTheKeys()
    {
        using var dir = new TempDir();
        Tree(dir, 100, 90);
        var first = Cli.Run(dir.Path, ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "100", .. WorkflowTests.FitOptions]);
        Assert.True(first.Exit == 0, first.Err);
        string before = File.ReadAllText(dir["runs/la2a_100/params.json"]);
        var r = Cli.Run(dir.Path, ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "90", "--step", "10", .. WorkflowTests.FitOptions, "epochs=7"]);
        Assert.Equal(2, r.Exit);
        AssertOneErrorLine(r.Err, "la2a_100", "epochs: 100 then, 7 now");
        Assert.Equal(before, File.ReadAllText(dir["runs/la2a_100/params.json"]));
        Assert.False(Directory.Exists(dir["runs/la2a_90"]));
        // The same options resume cleanly.
        var ok = Cli.Run(dir.Path, ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "90", "--step", "10", .. WorkflowTests.FitOptions]);
        Assert.True(ok.Exit == 0, $"exit {ok.Exit}: {ok.Err} {ok.Out}");
        Assert.True(File.Exists(dir["runs/la2a_90/params.json"]));
    }

    // ---- Faults -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task SigtermIsHandledLikeCtrlC()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        // Ten minutes of audio through the compressor and the GRU: long enough to be interrupted.
        var x = MusicGenerator.Generate(600, 44100, 4);
        WavFile.WriteFloat(dir["long.wav"], new AudioBuffer(x, 44100));
        new GruCheckpoint { StateDict = GruCheckpoint.StateDictOf(GruModel.Initialise(1)), Options = new GruTrainingOptions() }.Save(dir["gru.json"]);
        // A shell starts the command, waits until it is writing its output (the temporary file exists; polled, so a loaded
        // machine only makes the wait longer), sends SIGTERM and reports the exit code.
        string dll = Path.Combine(AppContext.BaseDirectory, "newtone.dll");
        string script = $"dotnet '{dll}' process long.wav out.wav --peak-reduction 70 --mode limit --gru gru.json > out.txt 2> err.txt & c=$!; "
            + "for i in $(seq 1 12000); do ls -a | grep -q '[.]tmp$' && break; sleep 0.01; done; "
            + "ls -a > during.txt; kill -TERM $c; wait $c; echo $?";
        var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = dir.Path };
        using var p = Process.Start(psi)!;
        string exit = (await p.StandardOutput.ReadToEndAsync()).Trim();
        await p.WaitForExitAsync();
        string err = File.ReadAllText(dir["err.txt"]);
        Assert.True(exit == "143", $"exit {exit}: {err} {File.ReadAllText(dir["out.txt"])}");
        Assert.Contains(".tmp", File.ReadAllText(dir["during.txt"]));   // it was interrupted mid-file
        Assert.Contains("terminated", err);
        Assert.False(File.Exists(dir["out.wav"]));
        Assert.Empty(Temps(dir.Path));
    }

    [Fact]
    public void StaleTemporaryFilesOfDeadProcessesAreRemovedWhenTheOutputIsWrittenAgain()
    {
        using var dir = new TempDir();
        Pair(dir);
        string dead = dir[$".res.wav.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp"];
        string alive = dir[$".res.wav.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"];   // this test host is running
        string other = dir[$".other.wav.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp"];
        foreach (var f in new[] { dead, alive, other }) File.WriteAllBytes(f, new byte[1000]);
        var r = Cli.Run(dir.Path, "process", "in.wav", "res.wav", "--peak-reduction", "60", "--mode", "compress");
        Assert.True(r.Exit == 0, r.Err);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(other));   // another output's: left for that output's next write
    }

    [Fact]
    public void AnErrorInsideParallelRenderingIsOneLineLikeInSerialCode()
    {
        using var dir = new TempDir();
        Tree(dir, 100, 90);
        Sweep(dir, 100, 90);
        // Corrupt one input after indexing would see it as fine: a NaN sample in the middle.
        string input = Directory.GetFiles(dir["data/Train"], "input_*").Order(StringComparer.Ordinal).Last();
        var audio = WavFile.Read(input);
        audio.Channels[0][audio.Length / 2] = float.NaN;
        WavFile.WriteFloat(input, audio);
        var r = Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "rendered");
        Assert.Equal(2, r.Exit);
        AssertOneErrorLine(r.Err, input, "NaN");
        Assert.DoesNotContain("AggregateException", r.Err + r.Out);
        Assert.Empty(Temps(dir["rendered"]));
    }

    /// <summary>A small tmpfs (root only, as CI runs); the test is a no-op with a printed reason where it cannot be mounted.</summary>
    private static bool Mount(string folder, string options)
    {
        Directory.CreateDirectory(folder);
        var p = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder]) { RedirectStandardError = true, UseShellExecute = false });
        if (p is null) return false;
        p.WaitForExit();
        if (p.ExitCode == 0) return true;
        Console.WriteLine($"skipped: cannot mount a tmpfs here ({p.StandardError.ReadToEnd().Trim()})");
        return false;
    }

    private static void Unmount(string folder) => Process.Start("umount", [folder])!.WaitForExit();

    [Fact]
    public void AFullDiskAndAReadOnlyFolderAreOneLineAndExitOne()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        Pair(dir, 6);
        if (!Mount(dir["full"], "size=64k")) return;
        try
        {
            var full = Cli.Run(dir.Path, "process", "in.wav", "full/out.wav", "--peak-reduction", "60", "--mode", "compress");
            Assert.Equal(1, full.Exit);
            AssertOneErrorLine(full.Err);
            Assert.Empty(Directory.GetFileSystemEntries(dir["full"]));
            var fit = Cli.Run(dir.Path, "fit", "ckpt_dir=full/run/" + new string('x', 20), "data.train.input=in.wav", "data.train.target=out.wav",
                "data.duration=2", "data.overlap=0.25", "epochs=2", "search.enabled=false", "-q");
            Assert.True(fit.Exit is 0 or 1, fit.Err);   // small files may still fit; a failure must be clean
            if (fit.Exit == 1) AssertOneErrorLine(fit.Err);
        }
        finally
        {
            Unmount(dir["full"]);
        }
        if (!Mount(dir["ro"], "ro,size=64k")) return;
        try
        {
            var ro = Cli.Run(dir.Path, "process", "in.wav", "ro/out.wav", "--peak-reduction", "60", "--mode", "compress");
            Assert.Equal(1, ro.Exit);
            AssertOneErrorLine(ro.Err, "ro");
            var fit = Cli.Run(dir.Path, "fit", "ckpt_dir=ro/run", "data.train.input=in.wav", "data.train.target=out.wav",
                "data.duration=2", "data.overlap=0.25", "epochs=2", "search.enabled=false", "-q");
            Assert.Equal(1, fit.Exit);
            AssertOneErrorLine(fit.Err, "ro/run");
        }
        finally
        {
            Unmount(dir["ro"]);
        }
    }

    // ---- Bad input ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("data.duration=1e-9", "data.duration")]
    [InlineData("compressor.range.attack_ms.max=.inf", "compressor.range.attack_ms")]
    [InlineData("compressor.delay=1000000", "compressor.delay")]
    [InlineData("search.seconds=2", "search.seconds")]
    [InlineData("compressor.inits.threshold=.nan", "compressor.inits.threshold")]
    [InlineData("epochs=-1", "epochs")]
    public void ImpossibleConfigurationValuesAreOneLineAndExitTwo(string assignment, string key)
    {
        using var dir = new TempDir();
        Pair(dir);
        var r = Cli.Run(dir.Path, "fit", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav", "data.duration=2", "data.overlap=0.25", assignment);
        Assert.Equal(2, r.Exit);
        AssertOneErrorLine(r.Err, key);
        Assert.False(Directory.Exists(dir["run"]));
    }

    [Theory]
    [InlineData("mode: forward\n\tepochs: 3\n")]
    [InlineData("epochs: 3\nepochs: 4\n")]
    [InlineData("a: &x 1\nepochs: *x\n")]
    [InlineData("[1, 2, 3]\n")]
    [InlineData("compressor: 5\n")]
    [InlineData("optimiser:\n  alpha: [1, 2]\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("data: {train: {input: 'unterminated}}\n")]
    public void MalformedYamlFilesAreOneLineAndExitTwo(string yaml)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], yaml);
        var r = Cli.Run(dir.Path, "fit", "c.yaml", "ckpt_dir=run", "data.train.input=in.wav", "data.train.target=out.wav");
        Assert.Equal(2, r.Exit);
        AssertOneErrorLine(r.Err);
    }

    [Theory]
    [InlineData("--peak-reduction", "abc", "not a number")]
    [InlineData("--peak-reduction", "62,5", "not a number")]
    [InlineData("--peak-reduction", "nan", "not a number")]
    public void CommandLineParseErrorsExitTwoWithoutTypeNames(string option, string value, string expected)
    {
        using var dir = new TempDir();
        Pair(dir);
        var r = Cli.Run(dir.Path, "process", "in.wav", "o.wav", option, value, "--mode", "compress");
        Assert.Equal(2, r.Exit);
        AssertOneErrorLine(r.Err, option, expected);
        Assert.DoesNotContain("System.", r.Err);
        Assert.False(File.Exists(dir["o.wav"]));
        var unknown = Cli.Run(dir.Path, "sweep", "data", "--mode", "compress", "--out", "r", "--step", "1.5");
        Assert.Equal(2, unknown.Exit);
        AssertOneErrorLine(unknown.Err, "--step");
    }

    [Fact]
    public void DatasetCommandsReportEveryFileTheySkip()
    {
        using var dir = new TempDir();
        Tree(dir, 100, 90);
        Sweep(dir, 100, 90);
        File.WriteAllText(dir["data/Train/target_900_LA2A_3c__0__90.wav"], "not audio");
        File.Copy(Directory.GetFiles(dir["data/Train"], "target_*__100.wav")[0], dir["data/Train/target_901_LA2A_3c__0__100.wav"]);   // no input_901_
        foreach (var args in new[]
        {
            new[] { "render", "data", "--runs", "runs", "--mode", "compress", "--out", "rendered" },
            ["eval", "runs", "eval.csv", "--dataset", "data"],
            ["compare", "data", "--method", "A=rendered", "--min-seconds", "0", "--out", "s.csv"],
        })
        {
            var r = Cli.Run(dir.Path, args);
            Assert.True(r.Exit == 0, r.Err);
            Assert.Contains("2 dataset file(s) skipped", r.Out);
            Assert.Contains("target_900_LA2A_3c__0__90.wav", r.Out);
            Assert.Contains("target_901_LA2A_3c__0__100.wav", r.Out);
        }
    }

    // ---- Friction ------------------------------------------------------------------------------------------------

    [Fact]
    public void CompareWithNothingToCompareOrTwoMethodsOfOneNameExitsTwo()
    {
        using var dir = new TempDir();
        Tree(dir, 100);
        Sweep(dir, 100);
        Assert.Equal(0, Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "r").Exit);
        var none = Cli.Run(dir.Path, "compare", "data", "--method", "A=r", "--out", "s.csv");   // default: longer than 600 s
        Assert.Equal(2, none.Exit);
        AssertOneErrorLine(none.Err, "nothing to compare", "600");
        Assert.False(File.Exists(dir["s.csv"]));

        var ok = Cli.Run(dir.Path, "compare", "data", "--method", "A=r", "--min-seconds", "0", "--out", "s.csv");
        Assert.True(ok.Exit == 0, ok.Err);
        var twice = Cli.Run(dir.Path, "compare", "data", "--method", "A=r", "--method", "A=s.csv", "--min-seconds", "0", "--out", "t.csv");
        Assert.Equal(2, twice.Exit);
        AssertOneErrorLine(twice.Err, "'A'", "twice");
        Assert.False(File.Exists(dir["t.csv"]));
        // The output may not replace a scores file being merged.
        var over = Cli.Run(dir.Path, "compare", "data", "--method", "B=r", "--method", "s.csv", "--min-seconds", "0", "--out", "s.csv");
        Assert.Equal(2, over.Exit);
    }

    [Fact]
    public void TablesFitEightyColumnsAndPrintEsrInPercent()
    {
        using var dir = new TempDir();
        Tree(dir, 100, 95, 90);
        var sweep = Cli.Run(dir.Path, ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "90", .. WorkflowTests.FitOptions]);
        var eval = Cli.Run(dir.Path, "eval", "runs", "e.csv");
        Assert.Equal(0, Cli.Run(dir.Path, "render", "data", "--runs", "runs", "--mode", "compress", "--out", "r").Exit);
        var compare = Cli.Run(dir.Path, "compare", "data", "--method", "A=r", "--min-seconds", "0", "--out", "s.csv");
        foreach (var r in new[] { sweep, eval, compare })
        {
            Assert.True(r.Exit == 0, r.Err);
            var tableLines = r.Out.Split('\n').Where(l => l.Contains("  ") && !l.StartsWith("  la2a_", StringComparison.Ordinal) && !l.StartsWith("fitting", StringComparison.Ordinal)).ToList();
            Assert.All(tableLines, l => Assert.True(l.TrimEnd().Length <= 80, $"{l.TrimEnd().Length} columns: {l}"));
            // No number split over two lines: every table row starts with its level or method and has no continuation line.
            Assert.DoesNotContain(r.Out.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s{12,}\S{1,6}\s*$"));
            Assert.Contains("ESR %", r.Out);
        }
        // A second run reuses the levels and still prints their rows.
        var again = Cli.Run(dir.Path, ["sweep", "data", "--mode", "compress", "--out", "runs", "--to", "90", .. WorkflowTests.FitOptions]);
        Assert.Equal(0, again.Exit);
        Assert.Equal(3, again.Out.Split('\n').Count(l => l.Contains("earlier")));
    }
}
