using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The static curve of docs/model.md §1: peak detector, compressor above threshold and the reference's
/// fixed expander below −120 dBFS.
/// <code>
///   xl = dB(max(|x|, 1e-8))
///   gl = min(0, (1 − 1/R)(T − xl), (1 − 1/ER)(ET − xl)),   ER = 0.9999, ET = −120 dB
/// </code>
/// The kernels evaluate it in natural-log units, <c>ln g = min(0, S·(k·T − ln xa), Se·(k·ET − ln xa))</c> with
/// <c>k = ln10/20</c>, <c>S = 1 − 1/R</c>, <c>Se = 1 − 1/ER</c>, <c>xa = max(|x|, 1e-8)</c>; this class holds that one
/// equation in scalar, vector and block forms.
/// </summary>
public static class GainComputer
{
    /// <summary>Detector floor (amplitude) of the peak detector.</summary>
    public const double Floor = 1e-8;

    /// <summary>Expander ratio ER of the reference model.</summary>
    public const double ExpanderRatio = 0.9999;

    /// <summary>Expander threshold ET (dB) of the reference model.</summary>
    public const double ExpanderThresholdDb = -120.0;

    /// <summary>Expander slope 1 − 1/ER (negative).</summary>
    public const double ExpanderSlope = 1.0 - 1.0 / ExpanderRatio;

    /// <summary>k·ET: the expander threshold in nepers.</summary>
    internal const double ExpanderThresholdNepers = Decibels.NepersPerDecibel * ExpanderThresholdDb;

    /// <summary>The static gain in dB for a detector level in dB.</summary>
    public static double GainDb(double levelDb, double thresholdDb, double ratio)
    {
        double compress = (1.0 - 1.0 / ratio) * (thresholdDb - levelDb);
        double expand = ExpanderSlope * (ExpanderThresholdDb - levelDb);
        return Math.Min(0.0, Math.Min(compress, expand));
    }

    /// <summary>The static gain (linear) for one input sample.</summary>
    public static double Gain(double sample, double thresholdDb, double ratio) =>
        Math.Exp(LogGain(Math.Log(Math.Max(Math.Abs(sample), Floor)), Decibels.NepersPerDecibel * thresholdDb, 1.0 - 1.0 / ratio));

    /// <summary>ln g from ln xa, k·T and S = 1 − 1/R.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double LogGain(double lnLevel, double kT, double slope) =>
        Math.Min(0.0, Math.Min(slope * (kT - lnLevel), ExpanderSlope * (ExpanderThresholdNepers - lnLevel)));

    /// <summary>ln xa = ln max(|x|, 1e-8) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogLevel(Vector256<double> x) =>
        VectorMath.Log(Vector256.Max(Vector256.Abs(x), Vector256.Create(Floor)));

    /// <summary>ln g per lane from ln xa, k·T and S.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogGain(Vector256<double> lnLevel, Vector256<double> kT, Vector256<double> slope) =>
        Vector256.Min(Vector256.Min(slope * (kT - lnLevel), Vector256.Create(ExpanderSlope) * (Vector256.Create(ExpanderThresholdNepers) - lnLevel)),
            Vector256<double>.Zero);

    /// <summary>
    /// ln g per lane, with what the derivatives need: <c>v = k·T − ln xa</c> and the mask of lanes on the
    /// compressor branch (<c>S·v &lt; min(0, expander)</c>), where ∂ln g/∂T = k·S and ∂ln g/∂S = v.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogGain(Vector256<double> lnLevel, Vector256<double> kT, Vector256<double> slope,
        out Vector256<double> v, out Vector256<double> compressing)
    {
        v = kT - lnLevel;
        var lc = slope * v;
        var cap = Vector256.Min(Vector256.Create(ExpanderSlope) * (Vector256.Create(ExpanderThresholdNepers) - lnLevel), Vector256<double>.Zero);
        compressing = Vector256.LessThan(lc, cap);
        return Vector256.Min(lc, cap);
    }

    /// <summary>ln xa = ln max(|x|, 1e-8) per lane (eight lanes; the same expression as the four-lane form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogLevel(Vector512<double> x) =>
        VectorMath.Log(Vector512.Max(Vector512.Abs(x), Vector512.Create(Floor)));

    /// <summary>ln g per lane from ln xa, k·T and S (eight lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogGain(Vector512<double> lnLevel, Vector512<double> kT, Vector512<double> slope) =>
        Vector512.Min(Vector512.Min(slope * (kT - lnLevel), Vector512.Create(ExpanderSlope) * (Vector512.Create(ExpanderThresholdNepers) - lnLevel)),
            Vector512<double>.Zero);

    /// <summary>ln g per lane with <c>v</c> and the compressor-branch mask (eight lanes; see the four-lane form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogGain(Vector512<double> lnLevel, Vector512<double> kT, Vector512<double> slope,
        out Vector512<double> v, out Vector512<double> compressing)
    {
        v = kT - lnLevel;
        var lc = slope * v;
        var cap = Vector512.Min(Vector512.Create(ExpanderSlope) * (Vector512.Create(ExpanderThresholdNepers) - lnLevel), Vector512<double>.Zero);
        compressing = Vector512.LessThan(lc, cap);
        return Vector512.Min(lc, cap);
    }

    /// <summary>
    /// Detector amplitudes |x| in [<paramref name="low"/>, <paramref name="high"/>] have a static gain of exactly 1 in the
    /// scalar and vector forms alike, so a pass may store 1 there without evaluating the curve. Between the expander
    /// threshold and the threshold both terms of <c>ln g = min(0, S·(k·T − ln xa), Se·(k·ET − ln xa))</c> are ≥ 0 (S ≥ 0
    /// for R ≥ 1, Se &lt; 0), so ln g is ±0 and e^±0 = 1 exactly. The band is narrowed by 1e-9 (relative) at each end,
    /// tens of thousands of times the error of the computed logarithm (below 1e-15·|ln xa| ≤ 2e-14 for xa ≥ 1e-8), so
    /// that the computed ln xa lies strictly inside [k·ET, k·T] and the test in amplitude agrees with the one the curve
    /// makes in nepers. Empty when T ≤ ET or R &lt; 1; NaN is never inside.
    /// </summary>
    internal static void UnityBand(double thresholdDb, double ratio, out double low, out double high)
    {
        low = Math.Exp(ExpanderThresholdNepers) * (1 + 1e-9);
        high = ratio >= 1 ? Math.Exp(Decibels.NepersPerDecibel * thresholdDb) * (1 - 1e-9) : 0;
    }

    /// <summary>
    /// <see cref="LogLevel(Vector256{double})"/> with <see cref="VectorMath.LogShortChain(Vector256{double})"/>: the same
    /// equation, the logarithm's series by a shorter dependency chain (rounding may differ in the last bit); the objective
    /// kernels' form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogLevelShortChain(Vector256<double> x) =>
        VectorMath.LogShortChain(Vector256.Max(Vector256.Abs(x), Vector256.Create(Floor)));

    /// <summary>
    /// <see cref="LogLevel(Vector512{double})"/> with <see cref="VectorMath.LogShortChain(Vector512{double})"/>: the same
    /// equation, the logarithm's series by a shorter dependency chain (rounding may differ in the last bit); the objective
    /// kernels' form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogLevelShortChain(Vector512<double> x) =>
        VectorMath.LogShortChain(Vector512.Max(Vector512.Abs(x), Vector512.Create(Floor)));

    /// <summary>
    /// The expander term of ln g capped at 0, <c>min(0, Se·(k·ET − ln xa))</c>, per lane: it does not depend on θ, so the
    /// objective kernels compute it once per sample with the detector's logarithm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpanderCap(Vector256<double> lnLevel) =>
        Vector256.Min(Vector256.Create(ExpanderSlope) * (Vector256.Create(ExpanderThresholdNepers) - lnLevel), Vector256<double>.Zero);

    /// <summary>
    /// ln g per lane, <c>min(S·(k·T − ln xa), cap)</c> with <paramref name="cap"/> = <see cref="ExpanderCap(Vector256{double})"/>:
    /// the same number as the other forms (min is exact; the native minimum differs from IEEE minimum only in the sign of a
    /// zero, and e^±0 = 1), without the IEEE minimum's fix-up instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogGainCapped(Vector256<double> lnLevel, Vector256<double> cap, Vector256<double> kT, Vector256<double> slope) =>
        Vector256.MinNative(slope * (kT - lnLevel), cap);

    /// <summary>
    /// <see cref="LogGainCapped(Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/> with what the
    /// derivatives need: <c>v = k·T − ln xa</c> and the compressor-branch mask (<c>S·v &lt; cap</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> LogGainCapped(Vector256<double> lnLevel, Vector256<double> cap, Vector256<double> kT, Vector256<double> slope,
        out Vector256<double> v, out Vector256<double> compressing)
    {
        v = kT - lnLevel;
        var lc = slope * v;
        compressing = Vector256.LessThan(lc, cap);
        return Vector256.MinNative(lc, cap);
    }

    /// <summary>
    /// The expander term of ln g capped at 0, <c>min(0, Se·(k·ET − ln xa))</c>, per lane: it does not depend on θ, so the
    /// objective kernels compute it once per sample with the detector's logarithm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> ExpanderCap(Vector512<double> lnLevel) =>
        Vector512.Min(Vector512.Create(ExpanderSlope) * (Vector512.Create(ExpanderThresholdNepers) - lnLevel), Vector512<double>.Zero);

    /// <summary>
    /// ln g per lane, <c>min(S·(k·T − ln xa), cap)</c> with <paramref name="cap"/> = <see cref="ExpanderCap(Vector512{double})"/>:
    /// the same number as the other forms (min is exact; the native minimum differs from IEEE minimum only in the sign of a
    /// zero, and e^±0 = 1), without the IEEE minimum's fix-up instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogGainCapped(Vector512<double> lnLevel, Vector512<double> cap, Vector512<double> kT, Vector512<double> slope) =>
        Vector512.MinNative(slope * (kT - lnLevel), cap);

    /// <summary>
    /// <see cref="LogGainCapped(Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/> with what the
    /// derivatives need: <c>v = k·T − ln xa</c> and the compressor-branch mask (<c>S·v &lt; cap</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogGainCapped(Vector512<double> lnLevel, Vector512<double> cap, Vector512<double> kT, Vector512<double> slope,
        out Vector512<double> v, out Vector512<double> compressing)
    {
        v = kT - lnLevel;
        var lc = slope * v;
        compressing = Vector512.LessThan(lc, cap);
        return Vector512.MinNative(lc, cap);
    }

    /// <summary>
    /// Static gain (linear) of each detector sample for threshold T (dB) and ratio R, vectorised over samples
    /// (the curve is memoryless).
    /// </summary>
    public static void Apply(ReadOnlySpan<float> detector, Span<double> gain, double thresholdDb, double ratio)
    {
        if (gain.Length < detector.Length) throw new ArgumentException("gain buffer too short", nameof(gain));
        double slope = 1.0 - 1.0 / ratio;
        double kT = Decibels.NepersPerDecibel * thresholdDb;
        int n = detector.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var ws = Vector512.Create(slope);
            var wkT = Vector512.Create(kT);
            for (; i + 16 <= n; i += 16)
            {
                var f = Vector512.Create(detector.Slice(i, 16));
                VectorMath.Exp(LogGain(LogLevel(Vector512.WidenLower(f)), wkT, ws)).CopyTo(gain.Slice(i, 8));
                VectorMath.Exp(LogGain(LogLevel(Vector512.WidenUpper(f)), wkT, ws)).CopyTo(gain.Slice(i + 8, 8));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(slope);
            var vkT = Vector256.Create(kT);
            for (; i + 8 <= n; i += 8)
            {
                var f = Vector256.Create(detector.Slice(i, 8));
                VectorMath.Exp(LogGain(LogLevel(Vector256.WidenLower(f)), vkT, vs)).CopyTo(gain.Slice(i, 4));
                VectorMath.Exp(LogGain(LogLevel(Vector256.WidenUpper(f)), vkT, vs)).CopyTo(gain.Slice(i + 4, 4));
            }
        }
        for (; i < n; i++) gain[i] = Math.Exp(LogGain(Math.Log(Math.Max(Math.Abs((double)detector[i]), Floor)), kT, slope));
    }
}
