using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The side chain of the opto model (docs/model.md §11): the pre-emphasis and the soft-knee static curve, written
/// once here in scalar, vector and block forms and inlined into the processor and the objective kernels.
/// <code>
///   h[n] = ae·(h[n−1] + s[n] − s[n−1]),   e[n] = s[n] + κ·h[n]          ae = exp(−2π·1000 Hz/sr), h[−1] = s[−1] = 0
///   ln g = min( ℓc, Se·(k·ET − ln xs), 0 ),   ln xa = ln max(|e|, 1e-8),   ln xs = ln max(|s|, 1e-8),   v = k·T − ln xa,   o = −v
///   ℓc = −S·(o + w/2)²/(2w)  where |o| &lt; w/2 (the knee),   S·v elsewhere     (w = k·W nepers)
/// </code>
/// The expander hears the un-emphasised level (docs/model.md §11 says why). With w = 0 and κ = 0 (so xa = xs) the knee is
/// empty and ln g is ff5's <c>min(S·v, Se·(k·ET − ln xa), 0)</c> evaluated by the same operations in the same order
/// (<see cref="GainComputer"/>), so the neutral opto model reproduces ff5 bit for bit. The struct holds one channel's
/// pre-emphasis state.
/// </summary>
internal struct OptoDetector
{
    private double _h, _prev;

    /// <summary>One pre-emphasised detector sample e[n] from s[n].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next(double s, double pole, double emphasis) => Step(s, ref _h, ref _prev, pole, emphasis);

    /// <summary>Back to zero state.</summary>
    public void Reset() => _h = _prev = 0;

    /// <summary>One pre-emphasis step with explicit state: returns e, updates h and the previous input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double s, ref double h, ref double prev, double pole, double emphasis)
    {
        h = pole * (h + s - prev);
        prev = s;
        return s + emphasis * h;
    }

    /// <summary>One pre-emphasis step per lane; <paramref name="h"/> receives the high-passed side chain (∂e/∂κ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Step(Vector256<double> s, ref Vector256<double> h, ref Vector256<double> prev,
        Vector256<double> pole, Vector256<double> emphasis)
    {
        h = pole * (h + s - prev);
        prev = s;
        return Vector256.FusedMultiplyAdd(emphasis, h, s);
    }

    /// <summary>ln g from ln xa (emphasised level), ln xs (un-emphasised level, for the expander), k·T, S and the knee width w (nepers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogGain(double lnLevel, double lnRaw, double kT, double slope, double knee)
    {
        double v = kT - lnLevel;
        double half = 0.5 * knee;
        double lc = slope * v;
        if (-v > -half && -v < half)
        {
            double q = half - v;
            lc = -slope * q * q / (2 * knee);
        }
        return Math.Min(0.0, Math.Min(lc, GainComputer.ExpanderSlope * (GainComputer.ExpanderThresholdNepers - lnRaw)));
    }

    /// <summary>ln g per lane (see the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogGain(Vector256<double> lnLevel, Vector256<double> lnRaw, Vector256<double> kT, Vector256<double> slope, Vector256<double> knee) =>
        LogGain(lnLevel, lnRaw, kT, slope, knee, out _, out _, out _, out _);

    /// <summary>
    /// ln g per lane, with what the derivatives need: <c>v = k·T − ln xa</c>, the knee mask (<c>|o| &lt; w/2</c>),
    /// <c>q = o + w/2</c> and the compressor curve ℓc before the expander and the flat part.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogGain(Vector256<double> lnLevel, Vector256<double> lnRaw, Vector256<double> kT, Vector256<double> slope, Vector256<double> knee,
        out Vector256<double> v, out Vector256<double> inKnee, out Vector256<double> q, out Vector256<double> lc)
    {
        v = kT - lnLevel;
        var half = Vector256.Create(0.5) * knee;
        var o = -v;
        inKnee = Vector256.LessThan(-half, o) & Vector256.LessThan(o, half);
        q = half - v;
        lc = Vector256.ConditionalSelect(inKnee, -slope * q * q / (knee + knee), slope * v);
        return Vector256.Min(Vector256.Min(lc, Expander(lnRaw)), Vector256<double>.Zero);
    }

    /// <summary>The expander term <c>Se·(k·ET − ln xs)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Expander(Vector256<double> lnRaw) =>
        Vector256.Create(GainComputer.ExpanderSlope) * (Vector256.Create(GainComputer.ExpanderThresholdNepers) - lnRaw);

    /// <summary>
    /// <c>ln xs</c> per lane where the expander can act, else a stand-in that leaves it inactive: the expander term is
    /// negative only below −120 dBFS, so unless a lane is below 2e-6 (−114 dBFS) the logarithm is skipped and <c>k·ET</c>
    /// returned (expander term 0, the same ln g).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> RawLogLevel(Vector256<double> s) =>
        Vector256.LessThanAny(Vector256.Abs(s), Vector256.Create(2e-6))
            ? GainComputer.LogLevel(s)
            : Vector256.Create(GainComputer.ExpanderThresholdNepers);

    /// <summary>
    /// Static gain (linear), in place, of a block of pre-emphasised detector samples (<paramref name="raw"/>: the same block
    /// before emphasis), for threshold T (dB), ratio R and knee width w (nepers). Vectorised eight samples at a time with a
    /// scalar tail, exactly as <see cref="GainComputer.Apply"/>.
    /// </summary>
    public static void Apply(Span<double> detectorInGainOut, ReadOnlySpan<double> raw, double thresholdDb, double ratio, double kneeNepers)
    {
        double slope = 1.0 - 1.0 / ratio;
        double kT = Decibels.NepersPerDecibel * thresholdDb;
        var d = detectorInGainOut;
        int n = d.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(slope);
            var vkT = Vector256.Create(kT);
            var vw = Vector256.Create(kneeNepers);
            for (; i + 8 <= n; i += 8)
            {
                var lo = Vector256.Create((ReadOnlySpan<double>)d.Slice(i, 4));
                var hi = Vector256.Create((ReadOnlySpan<double>)d.Slice(i + 4, 4));
                var rlo = GainComputer.LogLevel(Vector256.Create(raw.Slice(i, 4)));
                var rhi = GainComputer.LogLevel(Vector256.Create(raw.Slice(i + 4, 4)));
                VectorMath.Exp(LogGain(GainComputer.LogLevel(lo), rlo, vkT, vs, vw)).CopyTo(d.Slice(i, 4));
                VectorMath.Exp(LogGain(GainComputer.LogLevel(hi), rhi, vkT, vs, vw)).CopyTo(d.Slice(i + 4, 4));
            }
        }
        for (; i < n; i++)
            d[i] = Math.Exp(LogGain(Math.Log(Math.Max(Math.Abs(d[i]), GainComputer.Floor)), Math.Log(Math.Max(Math.Abs(raw[i]), GainComputer.Floor)), kT, slope, kneeNepers));
    }
}
