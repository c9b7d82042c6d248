using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Newtone.Study;

/// <summary>
/// Floats from a 64-byte boundary, in a pinned array (the GC never moves it, so the boundary stays one): a 64-byte vector
/// read or written there never spans two cache lines. The GRU training kernels keep their step stores, weights and
/// gradient sums in these.
/// </summary>
internal sealed class AlignedBuffer
{
    private readonly float[] _data;
    private readonly int _skip;

    /// <summary>Room for <paramref name="floats"/> floats (a multiple of 16 for whole 64-byte vectors).</summary>
    public unsafe AlignedBuffer(int floats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floats);
        _data = GC.AllocateArray<float>(floats + 16, pinned: true);
        _skip = (int)(((64 - ((nuint)Unsafe.AsPointer(ref _data[0]) & 63)) & 63) / sizeof(float));
        Length = floats;
    }

    /// <summary>Floats available.</summary>
    public int Length { get; }

    /// <summary>The first float (on a 64-byte boundary).</summary>
    public ref float First => ref _data[_skip];

    /// <summary>The floats as vectors of <typeparamref name="T"/> (whole vectors only).</summary>
    public Span<T> As<T>() where T : struct => MemoryMarshal.Cast<float, T>(_data.AsSpan(_skip, Length));
}
