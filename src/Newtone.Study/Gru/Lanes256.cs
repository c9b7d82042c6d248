using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Study;

/// <summary>Four rows per vector (AVX2).</summary>
internal readonly struct Lanes256(Vector256<double> v) : ILanes<Lanes256>
{
    private readonly Vector256<double> _v = v;

    /// <inheritdoc />
    public static int Count => 4;

    /// <inheritdoc />
    public double this[int i] => _v[i];

    /// <inheritdoc />
    public static Lanes256 Create(double v) => new(Vector256.Create(v));

    /// <inheritdoc />
    public static Lanes256 Create(ReadOnlySpan<double> v) => new(Vector256.Create(v));

    /// <inheritdoc />
    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);

    /// <inheritdoc />
    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);

    /// <inheritdoc />
    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._v * b._v);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sigmoid(Lanes256 x) => new(VectorMath.Sigmoid(x._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Tanh(Lanes256 x) => new(VectorMath.Tanh(x._v));
}
