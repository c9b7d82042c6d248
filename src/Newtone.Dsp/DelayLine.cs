using System.Runtime.CompilerServices;

namespace Newtone.Dsp;

/// <summary>
/// The look-ahead ring of docs/model.md §1: a fixed delay of <see cref="Length"/> samples. Pushing a sample
/// returns the one pushed <see cref="Length"/> pushes earlier (zeros at first). For interleaved audio of C
/// channels, a line of d·C samples delays every channel by d frames.
/// </summary>
/// <typeparam name="T">Sample type.</typeparam>
internal sealed class DelayLine<T> where T : struct
{
    private readonly T[] _ring;
    private int _pos;

    public DelayLine(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _ring = new T[length];
    }

    /// <summary>The delay in samples.</summary>
    public int Length => _ring.Length;

    /// <summary>Stores <paramref name="x"/> and returns the sample from <see cref="Length"/> pushes ago.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Push(T x)
    {
        T out_ = _ring[_pos];
        _ring[_pos] = x;
        if (++_pos == _ring.Length) _pos = 0;
        return out_;
    }

    /// <summary>Copies the held samples, oldest first, into <paramref name="output"/> (the last <paramref name="count"/> only) and clears the line.</summary>
    public void Drain(Span<T> output, int count)
    {
        int start = (_pos + _ring.Length - count) % Math.Max(1, _ring.Length);
        for (int k = 0; k < count; k++) output[k] = _ring[(start + k) % _ring.Length];
        Reset();
    }

    /// <summary>Back to zeros.</summary>
    public void Reset()
    {
        Array.Clear(_ring);
        _pos = 0;
    }
}
