using System.Globalization;

namespace Newtone.Dsp;

/// <summary>
/// The five extra parameters of the opto-cell model (docs/model.md §11), in front-panel units. With
/// <see cref="Neutral"/> (knee 0 dB, slow share 0, emphasis 0) the opto model is exactly the ff5 compressor.
/// </summary>
/// <param name="KneeDb">Soft-knee width W in dB (≥ 0; 0 is the hard knee of ff5).</param>
/// <param name="SlowShare">Share φ of the slow (cell-memory) stage in the smoothed gain, 0 ≤ φ &lt; 1 (0: ff5).</param>
/// <param name="ChargeMs">Charge time constant τc of the slow stage in ms (&gt; 0, the 2200 rule).</param>
/// <param name="SlowReleaseMs">Release time constant τs of the slow stage in ms (&gt; 0, the 2200 rule).</param>
/// <param name="Emphasis">Side-chain high-shelf amount κ (&gt; −1): the detector hears <c>s + κ·HP₁₀₀₀[s]</c> (0: ff5).</param>
public sealed record OptoSettings(double KneeDb, double SlowShare, double ChargeMs, double SlowReleaseMs, double Emphasis)
{
    /// <summary>Corner frequency fe of the side-chain pre-emphasis in Hz (fixed).</summary>
    public const double EmphasisCornerHz = 1000;

    private readonly double _kneeDb = CheckKnee(KneeDb);
    private readonly double _slowShare = CheckShare(SlowShare);
    private readonly double _chargeMs = CheckTime(ChargeMs, nameof(ChargeMs));
    private readonly double _slowReleaseMs = CheckTime(SlowReleaseMs, nameof(SlowReleaseMs));
    private readonly double _emphasis = CheckEmphasis(Emphasis);

    /// <summary>The settings at which the opto model is the ff5 compressor: knee 0 dB, slow share 0, emphasis 0 (times 1000 and 2000 ms, irrelevant).</summary>
    public static OptoSettings Neutral { get; } = new(0, 0, 1000, 2000, 0);

    /// <summary>Soft-knee width W in dB (finite, ≥ 0; checked on every assignment).</summary>
    public double KneeDb { get => _kneeDb; init => _kneeDb = CheckKnee(value); }

    /// <summary>Slow stage share φ (finite, 0 ≤ φ &lt; 1).</summary>
    public double SlowShare { get => _slowShare; init => _slowShare = CheckShare(value); }

    /// <summary>Charge time constant of the slow stage in ms (finite, &gt; 0).</summary>
    public double ChargeMs { get => _chargeMs; init => _chargeMs = CheckTime(value, nameof(ChargeMs)); }

    /// <summary>Release time constant of the slow stage in ms (finite, &gt; 0).</summary>
    public double SlowReleaseMs { get => _slowReleaseMs; init => _slowReleaseMs = CheckTime(value, nameof(SlowReleaseMs)); }

    /// <summary>Side-chain emphasis κ (finite, &gt; −1; the high-frequency shelf gain is about 1 + κ).</summary>
    public double Emphasis { get => _emphasis; init => _emphasis = CheckEmphasis(value); }

    /// <summary>True when these settings make the opto model the ff5 compressor (W = 0, φ = 0, κ = 0).</summary>
    public bool IsNeutral => KneeDb == 0 && SlowShare == 0 && Emphasis == 0;

    /// <summary>Parameter by index: 0 knee (dB), 1 slow share, 2 charge (ms), 3 slow release (ms), 4 emphasis.</summary>
    public double this[int index] => index switch
    {
        0 => KneeDb,
        1 => SlowShare,
        2 => ChargeMs,
        3 => SlowReleaseMs,
        4 => Emphasis,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Settings from a function of the parameter index (see the indexer).</summary>
    public static OptoSettings FromIndex(Func<int, double> value) => new(value(0), value(1), value(2), value(3), value(4));

    /// <summary>The coefficients the per-sample equations run with at <paramref name="sampleRate"/> Hz.</summary>
    internal OptoCoefficients ToCoefficients(double sampleRate) =>
        OptoCoefficients.Of(KneeDb, SlowShare, ChargeMs, SlowReleaseMs, Emphasis, sampleRate);

    /// <summary>The pole of the side-chain high-pass, <c>ae = exp(−2π·fe/sr)</c>, at <paramref name="sampleRate"/> Hz.</summary>
    public static double EmphasisPole(double sampleRate) => Math.Exp(-2 * Math.PI * EmphasisCornerHz / sampleRate);

    private static double CheckKnee(double v) => v >= 0 && double.IsFinite(v)
        ? v : throw new ArgumentOutOfRangeException(nameof(KneeDb), v, "knee width must be a finite, non-negative number of dB");

    private static double CheckShare(double v) => v >= 0 && v < 1
        ? v : throw new ArgumentOutOfRangeException(nameof(SlowShare), v, "slow share must lie in [0, 1)");

    private static double CheckTime(double v, string name) => v > 0 && double.IsFinite(v)
        ? v : throw new ArgumentOutOfRangeException(name, v, "time constant must be a positive, finite time in ms");

    private static double CheckEmphasis(double v) => v > -1 && double.IsFinite(v)
        ? v : throw new ArgumentOutOfRangeException(nameof(Emphasis), v, "emphasis must be finite and greater than −1");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"knee {KneeDb:F2} dB, slow share {SlowShare:F3}, charge {ChargeMs:F2} ms, slow release {SlowReleaseMs:F2} ms, emphasis {Emphasis:F3}");
}
