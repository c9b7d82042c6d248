namespace Newtone.Dsp;

/// <summary>
/// The five compressor parameters in the units a sound engineer reads off a front panel
/// (docs/model.md §1): threshold (dB), ratio, attack and release time constants (ms) and make-up gain (dB).
/// </summary>
/// <param name="ThresholdDb">Threshold T in dBFS.</param>
/// <param name="Ratio">Compression ratio R (≥ 1).</param>
/// <param name="AttackMs">Attack time constant in ms (converted with the 2200 rule).</param>
/// <param name="ReleaseMs">Release time constant in ms.</param>
/// <param name="MakeUpDb">Make-up gain M in dB.</param>
public readonly record struct CompressorSettings(double ThresholdDb, double Ratio, double AttackMs, double ReleaseMs, double MakeUpDb)
{
    /// <summary>The coefficients the per-sample kernel runs with at <paramref name="sampleRate"/>.</summary>
    public CompressorCoefficients ToCoefficients(double sampleRate) => new(
        ThresholdDb, Ratio,
        Ballistics.Coefficient(AttackMs, sampleRate),
        Ballistics.Coefficient(ReleaseMs, sampleRate),
        MakeUpDb);

    /// <summary>Parameter by index: 0 threshold, 1 ratio, 2 attack, 3 release, 4 make-up.</summary>
    public double this[int index] => index switch
    {
        0 => ThresholdDb,
        1 => Ratio,
        2 => AttackMs,
        3 => ReleaseMs,
        4 => MakeUpDb,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Settings from a function of the parameter index (see the indexer).</summary>
    public static CompressorSettings FromIndex(Func<int, double> value) => new(value(0), value(1), value(2), value(3), value(4));

    /// <summary>The same settings without make-up gain (M = 0 dB).</summary>
    public CompressorSettings WithoutMakeUp() => this with { MakeUpDb = 0 };

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"T {ThresholdDb:F2} dB, R {Ratio:F3}, attack {AttackMs:F3} ms, release {ReleaseMs:F2} ms, M {MakeUpDb:F3} dB");
}
