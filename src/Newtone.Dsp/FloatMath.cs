using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using F8 = System.Runtime.Intrinsics.Vector256<float>;
using F16 = System.Runtime.Intrinsics.Vector512<float>;
using V8 = System.Runtime.Intrinsics.Vector256;
using V16 = System.Runtime.Intrinsics.Vector512;

namespace Newtone.Dsp;

/// <summary>
/// The GRU's σ and tanh in single precision on 8 or 16 floats (docs/model.md §7), from one rational function
/// (<see cref="TanhHalfRatio(F8)"/>; tanh within 3.7e-7, σ within 2.2e-7 absolute) without e^x, written to be inlined:
/// into <see cref="GruStream"/>'s step, bound by its latency, and into the training batch's forward pass.
/// </summary>
internal static class FloatMath
{
    // tanh(y/2) = K·y·P(t)/Q(t), t = y², on |y| ≤ HalfLimit: a [9/8] rational, minimax in absolute error (Lawson's iteration
    // on the linearised problem in double, with the slope at zero exact and Q rounded before P was refitted to it). P and Q
    // (degree 4 in t) have only negative real roots (Q's first is −9.8697 ≈ −π², tanh's first pole), so each is written monic
    // as two quadratics (t + ρ1)(t + ρ2) = t·(t + ρ1 + ρ2) + ρ1ρ2 with positive coefficients: no cancellation, and each
    // quadratic is one FMA after t and y·y + (ρ1 + ρ2), so P and Q are ready 11 cycles after y (Estrin's scheme of the
    // expanded form needs 15). The fit is within 2.1e-8 of tanh(y/2) with its coefficients in double, 4.5e-8 with them
    // rounded to float as below; evaluated in float with K applied as the callers do, within 3.7e-7 (7e-8 rms over
    // [−22, 22]), and σ = 1/2 + tanh(y/2)/2 within 2.2e-7.
    private const float PS1 = 202.97348f, PC1 = 6455.6733f, PS2 = 5978.063f, PC2 = 2977053.5f;
    private const float QS1 = 99.0778f, QC1 = 880.4532f, QS2 = 1592.735f, QC2 = 374586f;

    /// <summary>K of <see cref="TanhHalfRatio(F8)"/>: tanh(y/2) = K·y·R(y). Callers fold it into a product with y off the critical path.</summary>
    public const float HalfScale = 0.008580244f;

    /// <summary>
    /// Where <see cref="TanhHalfRatio(F8)"/> ends: tanh(y/2) beyond ±18.02 is within 3e-8 of ±1, so arguments are clamped to it
    /// (<see cref="ClampHalf(F8)"/>).
    /// </summary>
    public const float HalfLimit = 18.02f;

    /// <summary>
    /// y clamped to ±<see cref="HalfLimit"/>: one vrangeps where AVX-512DQ runs (as the 16-float form, lane for lane), else two
    /// native min/max instructions (see the 16-float form for a NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 ClampHalf(F8 y) => Avx512DQ.VL.IsSupported
        ? Avx512DQ.VL.Range(y, V8.Create(HalfLimit), 0b00_10)
        : V8.MaxNative(V8.MinNative(y, V8.Create(HalfLimit)), V8.Create(-HalfLimit));

    /// <summary>
    /// R(y) = P(y²)/Q(y²) for a clamped y (<see cref="ClampHalf(F8)"/>), so that tanh(y/2) = K·y·R(y) and σ(y) = 1/2 + K·y·R(y)/2
    /// with K = <see cref="HalfScale"/>: the GRU stream's activations without e^x (docs/model.md §7), about 11 cycles and one
    /// division after y, against about 26 and a division for 1 + e^y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 TanhHalfRatio(F8 y)
    {
        F8 t = y * y;
        F8 p = V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(PS1)), V8.Create(PC1)) * V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(PS2)), V8.Create(PC2));
        F8 q = V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(QS1)), V8.Create(QC1)) * V8.FusedMultiplyAdd(t, V8.FusedMultiplyAdd(y, y, V8.Create(QS2)), V8.Create(QC2));
        return p / q;
    }

    /// <summary>
    /// <see cref="TanhHalfRatio(F8)"/> for code that evaluates many at once and is bound by the multiply-add units rather than by
    /// one chain's latency (the training batch): each quadratic's t + ρ1 + ρ2 is an addition after t (on Zen 4's adders)
    /// instead of a multiply-add beside it, so four of the eleven multiply-unit instructions move to the adders, for 3
    /// cycles more after y. The same function within float rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F8 TanhHalfRatioThroughput(F8 y)
    {
        F8 t = y * y;
        // (t + ρ1 + ρ2) first: the multiply-add then overwrites it instead of a copy of t.
        F8 p = V8.FusedMultiplyAdd(t + V8.Create(PS1), t, V8.Create(PC1)) * V8.FusedMultiplyAdd(t + V8.Create(PS2), t, V8.Create(PC2));
        F8 q = V8.FusedMultiplyAdd(t + V8.Create(QS1), t, V8.Create(QC1)) * V8.FusedMultiplyAdd(t + V8.Create(QS2), t, V8.Create(QC2));
        return p / q;
    }

    /// <summary>
    /// y clamped to ±<see cref="HalfLimit"/> (16 floats): with AVX-512DQ one vrangeps (the operand of smaller magnitude, with
    /// the sign of y; 2 cycles instead of 4), otherwise as the 8-float form. The two differ for a NaN (vrangeps gives the
    /// limit with the NaN's sign bit, min/max +limit); <see cref="GruStream"/> never passes one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 ClampHalf(F16 y) => Avx512DQ.IsSupported
        ? Avx512DQ.Range(y, V16.Create(HalfLimit), 0b00_10)
        : V16.MaxNative(V16.MinNative(y, V16.Create(HalfLimit)), V16.Create(-HalfLimit));

    /// <summary><see cref="TanhHalfRatio(F8)"/> of 16 floats (the same operations lane for lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F16 TanhHalfRatio(F16 y)
    {
        F16 t = y * y;
        F16 p = V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(PS1)), V16.Create(PC1)) * V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(PS2)), V16.Create(PC2));
        F16 q = V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(QS1)), V16.Create(QC1)) * V16.FusedMultiplyAdd(t, V16.FusedMultiplyAdd(y, y, V16.Create(QS2)), V16.Create(QC2));
        return p / q;
    }
}
