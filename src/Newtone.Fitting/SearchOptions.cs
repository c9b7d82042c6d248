
namespace Newtone.Fitting;

/// <summary>Options of the global stage that precedes Newton (<c>search.*</c>).</summary>
public sealed record SearchOptions
{
    /// <summary>Run the global stage (default on). Off: plain Newton from the initial point, as the reference.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Quasi-random candidates scored by loss alone.</summary>
    public int Candidates { get; init; } = 64;

    /// <summary>Newton runs started from the best candidates (the initial point is always one of them).</summary>
    public int Starts { get; init; } = 4;

    /// <summary>Audio (seconds, beyond each excerpt's warm-up) the global stage looks at on long recordings.</summary>
    public double Seconds { get; init; } = 32;

    /// <summary>Length of each excerpt (seconds, beyond the warm-up of <c>data.overlap</c>; configuration key <c>search.excerpt</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("excerpt")]
    public double ExcerptSeconds { get; init; } = 4;

    /// <summary>Newton iterations per start in the global stage.</summary>
    public int Iterations { get; init; } = 40;

    /// <summary>Seed of the candidates' random shift.</summary>
    public ulong Seed { get; init; }

    /// <summary>Candidates' thresholds span this many dB below the input's peak.</summary>
    public double ThresholdSpanDb { get; init; } = 48;

    /// <summary>Two starts closer than this (largest difference of normalised coordinates) count as one.</summary>
    public double MinDistance { get; init; } = 0.05;

    /// <summary>Relative tolerance of the stage's Newton runs (at least the fit's own).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>A start is abandoned after this many iterations when it is <see cref="AbandonFactor"/> times behind the best.</summary>
    public int AbandonAfter { get; init; } = 8;

    /// <summary>See <see cref="AbandonAfter"/>.</summary>
    public double AbandonFactor { get; init; } = 3;

    /// <summary>Starts whose stage loss is within this factor of the best are compared on the full data.</summary>
    public double ContenderFactor { get; init; } = 1.5;

    /// <summary>The training set itself is used when it is at most this factor longer than <see cref="Seconds"/>.</summary>
    public double WholeSetFactor { get; init; } = 1.5;
}
