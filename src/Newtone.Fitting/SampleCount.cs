namespace Newtone.Fitting;

/// <summary>
/// Whether a kernel pass's samples count towards the sums (docs/model.md §2: samples n ≥ O of a frame) or only run the
/// filters (the warm-up, n &lt; O); a type parameter, so each kernel is compiled once for each case.
/// </summary>
internal interface ICount
{
    static abstract bool On { get; }
}

/// <summary>Samples that count (n ≥ O): filtered and summed.</summary>
internal struct Counted : ICount
{
    public static bool On => true;
}

/// <summary>Warm-up samples (n &lt; O): filtered only.</summary>
internal struct Uncounted : ICount
{
    public static bool On => false;
}
