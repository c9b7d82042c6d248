
namespace Newtone.Fitting;

/// <summary>What the global stage did, for the log and params.json.</summary>
public sealed class SearchReport
{
    /// <summary>Candidates scored.</summary>
    public int Candidates { get; init; }

    /// <summary>Seed used.</summary>
    public ulong Seed { get; init; }

    /// <summary>Seconds of audio the stage used (beyond warm-ups) and how many excerpts.</summary>
    public double AudioSeconds { get; init; }

    /// <summary>Number of excerpts (frames) used.</summary>
    public int Excerpts { get; init; }

    /// <summary>True when the stage used the whole training set rather than excerpts.</summary>
    public bool UsedAllFrames { get; init; }

    /// <summary>The Newton starts and where they ended (loss on the stage's audio and on the full set).</summary>
    public List<SearchStart> Starts { get; } = [];

    /// <summary>Label of the winning start.</summary>
    public string Winner { get; set; } = "";

    /// <summary>Wall time of the stage.</summary>
    public double Seconds { get; set; }
}
