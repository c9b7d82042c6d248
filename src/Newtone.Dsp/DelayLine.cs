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

    /// <summary>
    /// Pushes a block in order: <paramref name="output"/>[k] is what <see cref="Push(T)"/> would return for
    /// <paramref name="input"/>[k] (held samples first, then the block's own, <see cref="Length"/> late), in block copies.
    /// The spans must not overlap.
    /// </summary>
    public void Push(ReadOnlySpan<T> input, Span<T> output)
    {
        int d = _ring.Length, n = input.Length;
        if (output.Length < n) throw new ArgumentException("output buffer too short", nameof(output));
        if (d == 0)
        {
            input.CopyTo(output);
            return;
        }
        // Out: the held samples, oldest (at _pos) first, then the block's own.
        int held = Math.Min(n, d);
        int wrap = Math.Min(held, d - _pos);
        _ring.AsSpan(_pos, wrap).CopyTo(output);
        _ring.AsSpan(0, held - wrap).CopyTo(output[wrap..]);
        if (n > d) input[..(n - d)].CopyTo(output[d..]);
        // In: the ring keeps the last d samples pushed, oldest at _pos.
        if (n >= d)
        {
            input[(n - d)..].CopyTo(_ring);
            _pos = 0;
            return;
        }
        int tail = Math.Min(n, d - _pos);
        input[..tail].CopyTo(_ring.AsSpan(_pos));
        input[tail..].CopyTo(_ring);
        _pos = (_pos + n) % d;
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
