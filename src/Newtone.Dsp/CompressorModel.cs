using System.Globalization;

namespace Newtone.Dsp;

/// <summary>
/// Everything that defines the emulation, in one immutable value carried end to end — by fits, run files,
/// presets, rendering, processing, evaluation and figures: the five compressor settings and the look-ahead
/// (docs/model.md §1), and for the opto model its five extras (<see cref="Opto"/>, docs/model.md §11). The look-ahead is stored in ms so that one model renders at any sample rate; at the rate a
/// run was fitted at, <see cref="LookAheadSamples"/> gives back the configured <c>compressor.delay</c> exactly.
/// </summary>
/// <param name="Settings">Threshold (dB), ratio, attack and release (ms), make-up gain (dB).</param>
/// <param name="LookAheadMs">Look-ahead in ms (≥ 0): the smoothed gain is advanced by this much, and the output lags by it.</param>
public sealed record CompressorModel(CompressorSettings Settings, double LookAheadMs = 0)
{
    private readonly CompressorSettings _settings = Validate(Settings);
    private readonly double _lookAheadMs = ValidateLookAhead(LookAheadMs);

    /// <summary>The five settings (checked on every assignment, <c>with</c> included: finite, ratio ≥ 1, positive times).</summary>
    public CompressorSettings Settings { get => _settings; init => _settings = Validate(value); }

    /// <summary>Look-ahead in ms (≥ 0, finite; checked on every assignment).</summary>
    public double LookAheadMs { get => _lookAheadMs; init => _lookAheadMs = ValidateLookAhead(value); }

    /// <summary>The opto model's extras (docs/model.md §11), or null for the ff5 compressor of docs/model.md §1.</summary>
    public OptoSettings? Opto { get; init; }

    /// <summary>Which model this is: <see cref="ModelKind.Opto"/> when <see cref="Opto"/> is set, else <see cref="ModelKind.Ff5"/>.</summary>
    public ModelKind Kind => Opto is null ? ModelKind.Ff5 : ModelKind.Opto;

    private static double ValidateLookAhead(double ms) => ms >= 0 && double.IsFinite(ms)
        ? ms : throw new ArgumentOutOfRangeException(nameof(LookAheadMs), ms, "look-ahead must be a finite, non-negative time in ms");

    /// <summary>A model from settings and a look-ahead in samples at <paramref name="sampleRate"/> Hz.</summary>
    public static CompressorModel FromSamples(CompressorSettings settings, int lookAheadSamples, double sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lookAheadSamples);
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        return new CompressorModel(settings, lookAheadSamples * 1000.0 / sampleRate);
    }

    /// <summary>The look-ahead in whole samples at <paramref name="sampleRate"/> Hz (rounded to the nearest sample).</summary>
    public int LookAheadSamples(double sampleRate) => (int)Math.Round(LookAheadMs * sampleRate / 1000.0);

    /// <summary>The same model without make-up gain (M = 0 dB).</summary>
    public CompressorModel WithoutMakeUp() => this with { Settings = Settings.WithoutMakeUp() };

    /// <summary>The coefficients the per-sample kernel runs with at <paramref name="sampleRate"/> Hz.</summary>
    public CompressorCoefficients ToCoefficients(double sampleRate) => Settings.ToCoefficients(sampleRate);

    private static CompressorSettings Validate(CompressorSettings s)
    {
        if (!(double.IsFinite(s.ThresholdDb) && double.IsFinite(s.MakeUpDb)))
            throw new ArgumentOutOfRangeException(nameof(Settings), s, "threshold and make-up gain must be finite");
        if (!(s.Ratio >= 1) || !double.IsFinite(s.Ratio)) throw new ArgumentOutOfRangeException(nameof(Settings), s, "ratio must be at least 1");
        if (!(s.AttackMs > 0 && s.ReleaseMs > 0) || !double.IsFinite(s.AttackMs) || !double.IsFinite(s.ReleaseMs))
            throw new ArgumentOutOfRangeException(nameof(Settings), s, "attack and release must be positive times in ms");
        return s;
    }

    /// <inheritdoc />
    public override string ToString() => Settings
        + (Opto is { } o ? ", " + o : "")
        + (LookAheadMs > 0 ? string.Create(CultureInfo.InvariantCulture, $", look-ahead {LookAheadMs:G6} ms") : "");
}
