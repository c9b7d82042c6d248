
namespace Newtone.Tests;

/// <summary>SPEC §4: defaults equal the reference's, YAML file, dotted overrides, clear errors.</summary>
public class ConfigTests
{
    private static readonly string[] Required = ["ckpt_dir=out", "data.train.input=a.wav", "data.train.target=b.wav"];

    [Fact]
    public void DefaultsAreTheReferences()
    {
        var c = FitConfig.Load(null, Required);
        Assert.Equal(ObjectiveMode.Forward, c.Mode);
        Assert.Equal(100, c.Epochs);
        Assert.Equal(new CompressorSettings(-36, 4, 1, 200, 0), c.Initial);
        Assert.Equal(new PhysicalRange(1, 20), c.Compressor.Range.Ratio);
        Assert.Equal(new PhysicalRange(0.1, 100), c.Compressor.Range.AttackMs);
        Assert.Equal(new PhysicalRange(10, 1000), c.Compressor.Range.ReleaseMs);
        Assert.Null(c.Compressor.InitCkpt);
        Assert.Equal(0, c.Compressor.Delay);
        var n = c.Newton;
        Assert.False(n.ConjugateGradient);
        Assert.Equal(1e-4, n.Alpha);
        Assert.Equal(0.5, n.Beta);
        Assert.Equal(20, n.MaxLineSearch);
        Assert.Equal(12, c.Data.Duration);
        Assert.Equal(1, c.Data.Overlap);
        Assert.Null(c.Data.Train.Start);
        Assert.Null(c.Data.Train.End);
        Assert.True(c.Search.Enabled);
    }

    [Fact]
    public void FileThenOverridesInOrder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], """
            mode: inverse
            epochs: 7
            compressor:
              inits: {threshold: -20, ratio: 3}
              range:
                ratio: null
            optimiser:
              method: cg
              alpha: 1.0e-3
            data:
              duration: 4
              train: {input: in.wav, target: 'out.wav', start: 1.5}
            """);
        var c = FitConfig.Load(dir["c.yaml"], ["ckpt_dir=run", "epochs=9", "optimiser.alpha=2e-4", "compressor.range.attack_ms.max=50", "data.train.end=null", "search.enabled=false"]);
        Assert.Equal(ObjectiveMode.Inverse, c.Mode);
        Assert.Equal(9, c.Epochs);
        Assert.Equal(-20, c.Initial.ThresholdDb);
        Assert.Equal(3, c.Initial.Ratio);
        Assert.Equal(1, c.Initial.AttackMs);
        Assert.Null(c.Compressor.Range.Ratio);
        Assert.Equal(new PhysicalRange(0.1, 50), c.Compressor.Range.AttackMs);
        Assert.True(c.Newton.ConjugateGradient);
        Assert.Equal(2e-4, c.Newton.Alpha);
        Assert.Equal(4, c.Data.Duration);
        Assert.Equal("in.wav", c.Data.Train.Input);
        Assert.Equal("out.wav", c.Data.Train.Target);
        Assert.Equal(1.5, c.Data.Train.Start);
        Assert.Null(c.Data.Train.End);
        Assert.False(c.Search.Enabled);
    }

    [Theory]
    [InlineData("optimiser.alpah=0.1", "optimiser.alpah")]
    [InlineData("data.train.inptu=x.wav", "data.train.inptu")]
    [InlineData("epochs=abc", "epochs")]
    [InlineData("epochs=1.5", "epochs")]
    [InlineData("optimiser.beta=2", "optimiser.beta")]
    [InlineData("mode=sideways", "mode")]
    [InlineData("data.duration=-1", "data.duration")]
    [InlineData("compressor.range.ratio.max=0.5", "compressor.range.ratio")]
    [InlineData("optimiser.method=bfgs", "optimiser.method")]
    [InlineData("compressor.inits.ratio=1", "compressor.inits.ratio")]
    [InlineData("search.enabled=maybe", "search.enabled")]
    [InlineData("epochs", "epochs")]
    public void BadOverridesNameTheKey(string assignment, string key)
    {
        var e = Assert.Throws<ConfigException>(() => FitConfig.Load(null, [.. Required, assignment]));
        Assert.Contains(key, e.Message);
    }

    [Theory]
    [InlineData("optimiser.alpah=1", "did you mean 'optimiser.alpha'")]
    [InlineData("compressor.inits.treshold=1", "did you mean 'compressor.inits.threshold'")]
    [InlineData("epoch=5", "did you mean 'epochs'")]
    public void TyposSuggestTheWholeKey(string assignment, string suggestion)
    {
        var e = Assert.Throws<ConfigException>(() => FitConfig.Load(null, [.. Required, assignment]));
        Assert.Contains(suggestion, e.Message);
    }

    [Fact]
    public void UnknownKeyInTheFileIsAnErrorNamingFileAndKey()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["c.yaml"], "optimiser:\n  alpah: 0.1\n");
        var e = Assert.Throws<ConfigException>(() => FitConfig.Load(dir["c.yaml"], Required));
        Assert.Contains("c.yaml", e.Message);
        Assert.Contains("optimiser.alpah", e.Message);
    }

    [Fact]
    public void TheReferencesOwnConfigFileLoads()
    {
        // python/cfg/config.yaml of the reference, verbatim in structure.
        using var dir = new TempDir();
        File.WriteAllText(dir["config.yaml"], """
            mode: forward
            epochs: 100
            ckpt_dir: test
            compressor:
              inits:
                threshold: -36
                ratio: 4
                attack_ms: 1
                release_ms: 200
                make_up_gain: 0
              range:
                ratio:
                  min: 1
                  max: 20
                attack_ms:
                  min: 0.1
                  max: 100
                release_ms:
                  min: 10
                  max: 1000
              init_ckpt: null
              delay: 0
            optimiser:
              hessian_module: autograd
              hessian_mode: revrev
              method: direct
              alpha: 0.0001
              beta: 0.5
              max_iter: 20
            data:
              duration: 12
              overlap: 1
              batch_size: -1
              train:
                input: /data/Train/input_158_.wav
                target: /data/Train/target_158_LA2A_3c__0__100.wav
                start: null
                end: null
            """);
        var c = FitConfig.Load(dir["config.yaml"], []);
        Assert.Equal("test", c.CkptDir);
        Assert.Equal("/data/Train/input_158_.wav", c.Data.Train.Input);
    }

    [Fact]
    public void ResolvedYamlReadsBackToTheSameConfiguration()
    {
        var c = FitConfig.Load(null, [.. Required, "compressor.range.release_ms=null", "optimiser.tolerance=1e-12", "data.train.start=2", "ckpt_dir='a: b'"]);
        using var dir = new TempDir();
        File.WriteAllText(dir["resolved.yaml"], c.ToYaml());
        var back = FitConfig.Load(dir["resolved.yaml"], []);
        Assert.Equal(c.ToYaml(), back.ToYaml());
        Assert.Null(back.Compressor.Range.ReleaseMs);
        Assert.Equal(1e-12, back.Newton.Tolerance);
        Assert.Equal("a: b", back.CkptDir);
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("~", null)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("12", 12L)]
    [InlineData("-3", -3L)]
    [InlineData("1e-4", 1e-4)]
    [InlineData("2.5", 2.5)]
    [InlineData(".5", 0.5)]
    [InlineData("'12'", "12")]
    [InlineData("\"null\"", "null")]
    [InlineData("hello", "hello")]
    [InlineData("path/to/file.wav", "path/to/file.wav")]
    public void OverrideValuesAreYamlScalars(string text, object? expected)
    {
        Assert.Equal(expected, YamlScalar.ParseValue(text));
    }
}
