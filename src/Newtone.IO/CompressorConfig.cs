namespace Newtone.IO;

/// <summary><c>compressor.*</c> of the fit configuration.</summary>
public sealed record CompressorConfig
{
    /// <summary><c>compressor.inits</c>: the initial point.</summary>
    public InitsConfig Inits { get; init; } = new();

    /// <summary><c>compressor.range</c>: the parameter ranges of the logit maps.</summary>
    public RangeConfig Range { get; init; } = new();

    /// <summary><c>compressor.init_ckpt</c>: params.json of an earlier run (or its directory) to warm-start from.</summary>
    public string? InitCkpt { get; init; }

    /// <summary><c>compressor.delay</c>: look-ahead in samples.</summary>
    public int Delay { get; init; }

    internal void Validate()
    {
        Inits.Validate();
        Range.Validate();
        if (Delay < 0) throw FitConfig.Bad("compressor.delay", "must not be negative", Delay);
    }
}
