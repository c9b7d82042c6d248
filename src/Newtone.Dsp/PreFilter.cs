using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The DC-blocking pre-filter of docs/model.md §2, <c>P(z) = (1 − z⁻¹)/(1 − 0.995·z⁻¹)</c>, i.e.
/// <c>p[n] = s[n] − s[n−1] + 0.995·p[n−1]</c>, from zero initial state; state carries across blocks.
/// The one implementation of the equation, in scalar and vector forms.
/// </summary>
public struct PreFilter
{
    /// <summary>The pole.</summary>
    public const double Pole = 0.995;

    private double _prevIn, _prevOut;

    /// <summary>Filters one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next(double s) => Step(s, ref _prevIn, ref _prevOut);

    /// <summary>Back to zero state.</summary>
    public void Reset() => _prevIn = _prevOut = 0;

    /// <summary>One step with explicit state (kept in registers by the hot loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double s, ref double prevIn, ref double prevOut)
    {
        double p = s - prevIn + Pole * prevOut;
        prevIn = s;
        prevOut = p;
        return p;
    }

    /// <summary>
    /// One step per lane in transposed form, one state instead of two: <c>p = s + u</c>, <c>u ← 0.995·p − s</c> (the same
    /// filter, <c>u[n] = 0.995·p[n] − s[n]</c>; differs from <see cref="Step(Vector256{double}, ref Vector256{double}, ref Vector256{double})"/>
    /// in rounding only). The state is kept negated, <c>w = −u</c>: <c>p = s − w</c>, <c>w ← s − 0.995·p</c>, one fused
    /// multiply-add with the constant −0.995 and no sign flip (the same numbers: rounding is symmetric under negation). The opto kernel runs its 54 derivative filters and the ff5 objective kernels their 15 model filters this way (half the state traffic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> StepTransposed(Vector256<double> s, ref Vector256<double> state)
    {
        var p = s - state;
        state = Vector256.FusedMultiplyAdd(Vector256.Create(-Pole), p, s);
        return p;
    }

    /// <summary>One step per lane in transposed form (eight lanes; see the four-lane form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> StepTransposed(Vector512<double> s, ref Vector512<double> state)
    {
        var p = s - state;
        state = Vector512.FusedMultiplyAdd(Vector512.Create(-Pole), p, s);
        return p;
    }

    /// <summary>One step per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Step(Vector256<double> s, ref Vector256<double> prevIn, ref Vector256<double> prevOut)
    {
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(Pole), prevOut, s - prevIn);
        prevIn = s;
        prevOut = p;
        return p;
    }

    /// <summary>One step per lane (eight lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Step(Vector512<double> s, ref Vector512<double> prevIn, ref Vector512<double> prevOut)
    {
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(Pole), prevOut, s - prevIn);
        prevIn = s;
        prevOut = p;
        return p;
    }
}
