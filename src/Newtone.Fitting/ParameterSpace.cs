
namespace Newtone.Fitting;

/// <summary>
/// The map between the optimiser's logits θ and the compressor's physical parameters (docs/model.md §1):
/// <code>
///   R  = Rmin + (Rmax − Rmin)·σ(uR)          (no range: R = 1 + e^uR)
///   αa = Amin + (Amax − Amin)·σ(ua)          Amin = coef(attack min ms), Amax = coef(attack max ms)
///   αr = Bmin + (Bmax − Bmin)·σ(ur)          (no range: α = σ(u))
/// </code>
/// and, when the space has <see cref="Opto"/> ranges, the opto model's five extras the same way (docs/model.md §11.1):
/// knee W, share φ and emphasis κ directly, the charge and slow-release coefficients through coef(ms).
/// </summary>
public sealed class ParameterSpace
{
    private readonly SigmoidMap? _ratio;
    private readonly SigmoidMap _attack;
    private readonly SigmoidMap _release;
    private readonly SigmoidMap _knee, _share, _charge, _slowRelease, _emphasis;

    /// <summary>
    /// Creates the space for a sample rate and optional ranges (null: the reference's fall-backs); <paramref name="opto"/>
    /// adds the opto model's ranges (null: the space can map ff5 θ only).
    /// </summary>
    public ParameterSpace(double sampleRate, PhysicalRange? ratio, PhysicalRange? attackMs, PhysicalRange? releaseMs, OptoRanges? opto = null)
    {
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        SampleRate = sampleRate;
        RatioRange = ratio;
        AttackRangeMs = attackMs;
        ReleaseRangeMs = releaseMs;
        if (ratio is { } r)
        {
            if (!(r.Min >= 1 && r.Max > r.Min)) throw new ArgumentException($"ratio range must satisfy 1 ≤ min < max (got {r.Min}..{r.Max})");
            _ratio = new SigmoidMap(r.Min, r.Max);
        }
        _attack = CoefficientMap(attackMs, sampleRate, "attack_ms");
        _release = CoefficientMap(releaseMs, sampleRate, "release_ms");
        Opto = opto;
        if (opto is not null)
        {
            _knee = Bounded(opto.KneeDb, 0, double.PositiveInfinity, "knee_db");
            _share = Bounded(opto.SlowShare, 0, 1, "slow_share");
            _emphasis = opto.Emphasis.Min > -1 ? Bounded(opto.Emphasis, -1, double.PositiveInfinity, "emphasis")
                : throw new ArgumentException($"emphasis range must satisfy −1 < min < max (got {opto.Emphasis.Min}..{opto.Emphasis.Max})");
            _charge = CoefficientMap(opto.ChargeMs, sampleRate, "charge_ms");
            _slowRelease = CoefficientMap(opto.SlowReleaseMs, sampleRate, "slow_release_ms");
        }
    }

    private static SigmoidMap Bounded(PhysicalRange r, double lo, double hi, string name)
    {
        if (!(r.Min >= lo && r.Max > r.Min && r.Max <= hi) || !double.IsFinite(r.Max))
            throw new ArgumentException(FormattableString.Invariant($"{name} range must satisfy {lo:G3} ≤ min < max{(double.IsFinite(hi) ? $" ≤ {hi:G3}" : "")} (got {r.Min}..{r.Max})"));
        return new SigmoidMap(r.Min, r.Max);
    }

    /// <summary>The same ranges with the opto model's <paramref name="opto"/> ranges (null: none).</summary>
    public ParameterSpace WithOpto(OptoRanges? opto) => new(SampleRate, RatioRange, AttackRangeMs, ReleaseRangeMs, opto);

    private static SigmoidMap CoefficientMap(PhysicalRange? range, double sr, string name)
    {
        if (range is not { } r) return new SigmoidMap(0, 1);
        if (!(r.Min > 0 && r.Max > r.Min)) throw new ArgumentException($"{name} range must satisfy 0 < min < max (got {r.Min}..{r.Max})");
        return new SigmoidMap(Ballistics.Coefficient(r.Min, sr), Ballistics.Coefficient(r.Max, sr));
    }

    /// <summary>The reference's default ratio range, 1–20.</summary>
    public static readonly PhysicalRange DefaultRatioRange = new(1, 20);

    /// <summary>The reference's default attack range, 0.1–100 ms.</summary>
    public static readonly PhysicalRange DefaultAttackRangeMs = new(0.1, 100);

    /// <summary>The reference's default release range, 10–1000 ms.</summary>
    public static readonly PhysicalRange DefaultReleaseRangeMs = new(10, 1000);

    /// <summary>The reference's default ranges: ratio 1–20, attack 0.1–100 ms, release 10–1000 ms.</summary>
    public static ParameterSpace Default(double sampleRate) =>
        new(sampleRate, DefaultRatioRange, DefaultAttackRangeMs, DefaultReleaseRangeMs);

    /// <summary>The default ranges for a model: <see cref="Default(double)"/>, plus <see cref="OptoRanges.Default"/> for the opto model.</summary>
    public static ParameterSpace Default(double sampleRate, ModelKind model) =>
        new(sampleRate, DefaultRatioRange, DefaultAttackRangeMs, DefaultReleaseRangeMs, model == ModelKind.Opto ? OptoRanges.Default : null);

    /// <summary>Sample rate the coefficients refer to.</summary>
    public double SampleRate { get; }

    /// <summary>Ratio range, or null for <c>R = 1 + e^u</c>.</summary>
    public PhysicalRange? RatioRange { get; }

    /// <summary>Attack range in ms, or null for <c>α = σ(u)</c>.</summary>
    public PhysicalRange? AttackRangeMs { get; }

    /// <summary>Release range in ms, or null for <c>α = σ(u)</c>.</summary>
    public PhysicalRange? ReleaseRangeMs { get; }

    /// <summary>The opto model's ranges (docs/model.md §11.1), or null when the space maps ff5 θ only.</summary>
    public OptoRanges? Opto { get; }

    private OptoRanges RequireOpto() => Opto ?? throw new InvalidOperationException("this parameter space has no opto ranges");

    /// <summary>Knee W (dB) and its first two derivatives with respect to uW.</summary>
    public (double Value, double First, double Second) Knee(double u) { RequireOpto(); return _knee.Evaluate(u); }

    /// <summary>Slow share φ and its first two derivatives with respect to uφ.</summary>
    public (double Value, double First, double Second) Share(double u) { RequireOpto(); return _share.Evaluate(u); }

    /// <summary>Charge coefficient βc and its first two derivatives with respect to uc.</summary>
    public (double Value, double First, double Second) Charge(double u) { RequireOpto(); return _charge.Evaluate(u); }

    /// <summary>Slow release coefficient βs and its first two derivatives with respect to us.</summary>
    public (double Value, double First, double Second) SlowRelease(double u) { RequireOpto(); return _slowRelease.Evaluate(u); }

    /// <summary>Emphasis κ and its first two derivatives with respect to uκ.</summary>
    public (double Value, double First, double Second) Emphasis(double u) { RequireOpto(); return _emphasis.Evaluate(u); }

    /// <summary>The opto extras of θ in physical units, or null for an ff5 θ.</summary>
    public OptoSettings? ToOptoSettings(Theta theta)
    {
        if (theta.Opto is not { } o) return null;
        RequireOpto();
        // Clamped onto the physical domain: a saturated sigmoid can round onto a range end (φ = 1 is outside [0, 1)).
        return new OptoSettings(Math.Max(0, _knee.Value(o.KneeLogit)), Math.Min(_share.Value(o.ShareLogit), Math.BitDecrement(1.0)),
            Ballistics.Milliseconds(_charge.Value(o.ChargeLogit), SampleRate), Ballistics.Milliseconds(_slowRelease.Value(o.SlowReleaseLogit), SampleRate),
            _emphasis.Value(o.EmphasisLogit));
    }

    /// <summary>The model of θ: its settings, the opto extras when θ has them, and a look-ahead of <paramref name="lookAheadSamples"/>.</summary>
    public CompressorModel ToModel(Theta theta, int lookAheadSamples = 0) =>
        CompressorModel.FromSamples(ToSettings(theta), lookAheadSamples, SampleRate) with { Opto = ToOptoSettings(theta) };

    /// <summary>
    /// θ of physical parameters with the opto extras when <paramref name="opto"/> is given (an opto θ; the space needs
    /// opto ranges). Values on or outside a range are pulled just inside, reported by <paramref name="clamped"/>.
    /// </summary>
    public Theta FromSettings(CompressorSettings s, OptoSettings? opto, out bool clamped)
    {
        var theta = FromSettings(s, out clamped);
        if (opto is null) return theta;
        RequireOpto();
        return theta with
        {
            Opto = new OptoTheta(
                _knee.Logit(Inside(_knee, opto.KneeDb, ref clamped)),
                _share.Logit(Inside(_share, opto.SlowShare, ref clamped)),
                _charge.Logit(Inside(_charge, Ballistics.Coefficient(opto.ChargeMs, SampleRate), ref clamped)),
                _slowRelease.Logit(Inside(_slowRelease, Ballistics.Coefficient(opto.SlowReleaseMs, SampleRate), ref clamped)),
                _emphasis.Logit(Inside(_emphasis, opto.Emphasis, ref clamped))),
        };
    }

    /// <summary>R, dR/duR, d²R/duR².</summary>
    public (double Value, double First, double Second) Ratio(double u)
    {
        if (_ratio is { } map) return map.Evaluate(u);
        double e = Math.Exp(u);
        return (1 + e, e, e);
    }

    /// <summary>αa and its first two derivatives with respect to ua.</summary>
    public (double Value, double First, double Second) Attack(double u) => _attack.Evaluate(u);

    /// <summary>αr and its first two derivatives with respect to ur.</summary>
    public (double Value, double First, double Second) Release(double u) => _release.Evaluate(u);

    /// <summary>Kernel coefficients of θ.</summary>
    public CompressorCoefficients ToCoefficients(Theta theta) => new(
        theta.Threshold, Ratio(theta.RatioLogit).Value, Attack(theta.AttackLogit).Value, Release(theta.ReleaseLogit).Value, theta.MakeUp);

    /// <summary>Physical parameters of θ.</summary>
    public CompressorSettings ToSettings(Theta theta) => ToCoefficients(theta).ToSettings(SampleRate);

    /// <summary>
    /// θ of physical parameters. Values on or outside a range's open interval are pulled just inside
    /// (the logit would be infinite), which is reported by <paramref name="clamped"/>.
    /// </summary>
    public Theta FromSettings(CompressorSettings s, out bool clamped)
    {
        clamped = false;
        double uR;
        if (_ratio is { } rm)
        {
            uR = rm.Logit(Inside(rm, s.Ratio, ref clamped));
        }
        else
        {
            if (!(s.Ratio > 1)) { clamped = true; uR = Math.Log(1e-9); }
            else uR = Math.Log(s.Ratio - 1);
        }
        double ua = _attack.Logit(Inside(_attack, Ballistics.Coefficient(s.AttackMs, SampleRate), ref clamped));
        double ur = _release.Logit(Inside(_release, Ballistics.Coefficient(s.ReleaseMs, SampleRate), ref clamped));
        return new Theta(s.ThresholdDb, uR, ua, ur, s.MakeUpDb);
    }

    /// <summary>θ of physical parameters; throws when a value lies outside its range.</summary>
    public Theta FromSettings(CompressorSettings s)
    {
        var theta = FromSettings(s, out bool clamped);
        if (clamped)
            throw new ArgumentOutOfRangeException(nameof(s), s, "parameters lie outside the configured ranges");
        return theta;
    }

    private static double Inside(SigmoidMap map, double v, ref bool clamped)
    {
        if (map.Contains(v)) return v;
        clamped = true;
        // 1e-9 of the span inside the nearer end: a large but finite logit.
        double lo = Math.Min(map.Min, map.Max), hi = Math.Max(map.Min, map.Max);
        double eps = (hi - lo) * 1e-9;
        return Math.Clamp(v, lo + eps, hi - eps);
    }

    /// <summary>True when two spaces use the same ranges (compared in physical units).</summary>
    public bool SameRanges(ParameterSpace other) =>
        Nullable.Equals(RatioRange, other.RatioRange) && Nullable.Equals(AttackRangeMs, other.AttackRangeMs)
        && Nullable.Equals(ReleaseRangeMs, other.ReleaseRangeMs) && Equals(Opto, other.Opto);
}
