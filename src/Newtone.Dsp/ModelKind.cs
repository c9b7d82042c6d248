namespace Newtone.Dsp;

/// <summary>Which compressor model a fit, a run or a plugin uses (docs/model.md §1 and §11).</summary>
public enum ModelKind
{
    /// <summary>The paper's five-parameter feed-forward compressor (docs/model.md §1).</summary>
    Ff5,

    /// <summary>The opto-cell model: ff5 plus soft knee, two-stage program-dependent release and side-chain emphasis (docs/model.md §11).</summary>
    Opto,
}
