using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The attack/release ballistics of docs/model.md §1: conversions between time constants and one-pole
/// coefficients (the 2200 rise-time rule) and the smoothing step itself, written once here and inlined into
/// every processor, kernel and accumulator.
/// <code>
///   coef(ms) = 1 − exp(−2200 / (ms·sr)),   ms(coef) = −2200 / (sr·ln(1 − coef))
///   ĝ[n] = ĝ[n−1] + α·(g[n] − ĝ[n−1]),     α = αa if g[n] &lt; ĝ[n−1] (gain falling: attack) else αr
/// </code>
/// The processors' step (scalar <see cref="Step(double, double, double, double)"/>, its one-lane form and
/// <see cref="Smooth"/>) evaluates the same equation as <c>(1 − α)·ĝ + α·g</c> with one fused multiply-add per candidate
/// coefficient, <c>fma(ĝ, 1 − αa, αa·g)</c> and <c>fma(ĝ, 1 − αr, αr·g)</c>, and picks one after: the products α·g do not
/// depend on ĝ, so the sample-to-sample chain is one multiply-add and a select (about 5 cycles instead of 10 for
/// compare, select, subtract, multiply, add). It differs from <c>ĝ + α(g − ĝ)</c> only by rounding (about 1e-16 relative).
/// The kernels' vector forms keep the shape <c>fma(α, g − ĝ, ĝ)</c> that their derivative recursions share.
/// </summary>
public static class Ballistics
{
    /// <summary>The rise-time constant of docs/model.md §1.</summary>
    public const double RiseTimeConstant = 2200.0;

    /// <summary>Smoothing coefficient of a time constant in ms at a sample rate in Hz: <c>1 − exp(−2200 / (ms·sr))</c>.</summary>
    public static double Coefficient(double milliseconds, double sampleRate)
    {
        if (!(milliseconds > 0)) throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "time constant must be positive");
        return -double.ExpM1(-RiseTimeConstant / (milliseconds * sampleRate));
    }

    /// <summary>Time constant in ms of a smoothing coefficient at a sample rate in Hz: <c>−2200 / (sr·ln(1 − coef))</c>.</summary>
    public static double Milliseconds(double coefficient, double sampleRate)
    {
        if (!(coefficient > 0 && coefficient < 1)) throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "coefficient must be in (0, 1)");
        return -RiseTimeConstant / (sampleRate * Math.Log(1 - coefficient));
    }

    /// <summary>
    /// One smoothing step: <c>ĝ + α(g − ĝ)</c> with α = attack when <c>g &lt; ĝ</c>, else release, evaluated as
    /// <c>fma(ĝ, 1 − α, α·g)</c> (docs/model.md §1; the class remarks say why).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double smoothed, double target, double attack, double release) =>
        target < smoothed
            ? Math.FusedMultiplyAdd(smoothed, 1.0 - attack, attack * target)
            : Math.FusedMultiplyAdd(smoothed, 1.0 - release, release * target);

    /// <summary>
    /// The scalar <see cref="Step(double, double, double, double)"/> in the low lane of a vector register, so that the
    /// attack/release choice is a select rather than a branch (music switches between them unpredictably), with the
    /// parts that do not depend on ĝ precomputed: <paramref name="attackTarget"/> = αa·g, <paramref name="releaseTarget"/> =
    /// αr·g, <paramref name="attackKeep"/> = 1 − αa, <paramref name="releaseKeep"/> = 1 − αr. The same operations on the
    /// same values, so the same result bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Step(Vector128<double> smoothed, Vector128<double> target, Vector128<double> attackTarget,
        Vector128<double> releaseTarget, Vector128<double> attackKeep, Vector128<double> releaseKeep) =>
        Vector128.ConditionalSelect(Vector128.LessThan(target, smoothed),
            Vector128.FusedMultiplyAdd(smoothed, attackKeep, attackTarget),
            Vector128.FusedMultiplyAdd(smoothed, releaseKeep, releaseTarget));

    /// <summary>
    /// The coefficient chosen per lane (α = attack where <c>g &lt; ĝ</c>, else release) and the attack mask;
    /// the branch is piecewise constant (derivatives do not flow through the choice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Select(Vector256<double> smoothed, Vector256<double> target, Vector256<double> attack,
        Vector256<double> release, out Vector256<double> attackMask)
    {
        attackMask = Vector256.LessThan(target, smoothed);
        return Vector256.ConditionalSelect(attackMask, attack, release);
    }

    /// <summary>One smoothing step per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Step(Vector256<double> smoothed, Vector256<double> target, Vector256<double> attack, Vector256<double> release)
    {
        var a = Vector256.ConditionalSelect(Vector256.LessThan(target, smoothed), attack, release);
        return Vector256.FusedMultiplyAdd(a, target - smoothed, smoothed);
    }

    /// <summary>The coefficient chosen per lane and the attack mask (eight lanes; see the four-lane form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Select(Vector512<double> smoothed, Vector512<double> target, Vector512<double> attack,
        Vector512<double> release, out Vector512<double> attackMask)
    {
        attackMask = Vector512.LessThan(target, smoothed);
        return Vector512.ConditionalSelect(attackMask, attack, release);
    }

    /// <summary>One smoothing step per lane (eight lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Step(Vector512<double> smoothed, Vector512<double> target, Vector512<double> attack, Vector512<double> release)
    {
        var a = Vector512.ConditionalSelect(Vector512.LessThan(target, smoothed), attack, release);
        return Vector512.FusedMultiplyAdd(a, target - smoothed, smoothed);
    }

    /// <summary>Smooths a block of static gains in place from <paramref name="state"/>; returns the last ĝ (the state to carry on).</summary>
    public static double Smooth(Span<double> gain, double state, double attack, double release)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            var g = Vector128.CreateScalar(state);
            var a = Vector128.CreateScalar(attack);
            var r = Vector128.CreateScalar(release);
            var ka = Vector128.CreateScalar(1.0 - attack);
            var kr = Vector128.CreateScalar(1.0 - release);
            ref double p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(gain);
            for (int i = 0; i < gain.Length; i++)
            {
                var t = Vector128.CreateScalar(Unsafe.Add(ref p, i));
                g = Step(g, t, a * t, r * t, ka, kr);
                Unsafe.Add(ref p, i) = g.ToScalar();
            }
            return g.ToScalar();
        }
        double s = state;
        for (int i = 0; i < gain.Length; i++)
        {
            s = Step(s, gain[i], attack, release);
            gain[i] = s;
        }
        return s;
    }
}
