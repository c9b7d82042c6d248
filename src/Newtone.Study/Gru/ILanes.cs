namespace Newtone.Study;

/// <summary>
/// A SIMD vector of doubles, one training row per lane, for <see cref="GruBatch"/>'s kernels: they are generic over it, so one
/// implementation of the GRU forward and back-propagation (docs/model.md §7) runs four rows per vector with AVX2 and eight
/// with AVX-512 (<see cref="Lanes256"/>, <see cref="Lanes512"/>); the JIT specialises and inlines every operation.
/// </summary>
internal interface ILanes<T> where T : struct, ILanes<T>
{
    /// <summary>Lanes.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="v"/>.</summary>
    static abstract T Create(double v);

    /// <summary>From <see cref="Count"/> values.</summary>
    static abstract T Create(ReadOnlySpan<double> v);

    /// <summary>Lane <paramref name="i"/>.</summary>
    double this[int i] { get; }

    /// <summary>Lane-wise sum.</summary>
    static abstract T operator +(T a, T b);

    /// <summary>Lane-wise difference.</summary>
    static abstract T operator -(T a, T b);

    /// <summary>Lane-wise product.</summary>
    static abstract T operator *(T a, T b);

    /// <summary>a·b + c, one rounding.</summary>
    static abstract T Fma(T a, T b, T c);

    /// <summary>σ(x) (VectorMath, about 1 ulp).</summary>
    static abstract T Sigmoid(T x);

    /// <summary>tanh x (VectorMath, about 1 ulp).</summary>
    static abstract T Tanh(T x);
}
