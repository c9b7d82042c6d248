namespace Newtone.Dsp;

/// <summary>Which compressor model a <see cref="CompressorModel"/> runs (docs/model.md §1, §11).</summary>
public enum ModelKind
{
    /// <summary>The five-parameter feed-forward compressor of docs/model.md §1.</summary>
    Ff5,

    /// <summary>The opto-cell model of docs/model.md §11: ff5 plus soft knee, two-stage release and side-chain emphasis.</summary>
    Opto,
}
