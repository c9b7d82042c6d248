using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Study;

/// <summary>Eight rows per vector (AVX-512).</summary>
internal readonly struct Lanes512(Vector512<double> v) : ILanes<Lanes512>
{
    private readonly Vector512<double> _v = v;

    /// <inheritdoc />
    public static int Count => 8;

    /// <inheritdoc />
    public double this[int i] => _v[i];

    /// <inheritdoc />
    public static Lanes512 Create(double v) => new(Vector512.Create(v));

    /// <inheritdoc />
    public static Lanes512 Create(ReadOnlySpan<double> v) => new(Vector512.Create(v));

    /// <inheritdoc />
    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);

    /// <inheritdoc />
    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);

    /// <inheritdoc />
    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._v * b._v);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sigmoid(Lanes512 x) => new(VectorMath.Sigmoid(x._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Tanh(Lanes512 x) => new(VectorMath.Tanh(x._v));
}
