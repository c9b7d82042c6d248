using System.Runtime.Intrinsics;

namespace Newtone.Study;

/// <summary>
/// The GRU over a batch of rows for training, in double precision: forward through a chunk (rows in groups of eight with
/// AVX-512, else four, one per SIMD lane; kernels in <see cref="GruLanes{T}"/>), the chunk loss of docs/model.md §7 (ESR of the pre-filtered prediction against the pre-filtered
/// target, pre-filter restarted per chunk, 1e-5 added to the denominator), and back-propagation through
/// time within the chunk (the incoming hidden state is a constant: truncated BPTT). Groups run in
/// parallel and their gradients are summed in a fixed order.
/// </summary>
internal sealed class GruBatch
{
    private readonly int _rows;
    // One of the two, by the widest vector the CPU runs at full speed.
    private readonly GruLanes<Lanes512>? _wide;
    private readonly GruLanes<Lanes256>? _narrow;

    /// <summary>Denominator floor of the ESR loss.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>
    /// Prepares buffers for <paramref name="rows"/> rows and chunks of up to <paramref name="chunk"/> samples, with
    /// <paramref name="lanes"/> rows per vector (4 or 8; 8 needs AVX-512). The default is 4: on the machines measured
    /// (bench/Newtone.Bench <c>gru</c>) 512-bit FMAs and divisions issued at half the rate of 256-bit ones, so eight lanes
    /// gained nothing.
    /// </summary>
    public GruBatch(int rows, int chunk, int lanes = 4)
    {
        _rows = rows;
        if (lanes == 8 && Vector512.IsHardwareAccelerated) _wide = new GruLanes<Lanes512>(rows, chunk);
        else _narrow = new GruLanes<Lanes256>(rows, chunk);
    }

    /// <summary>Rows.</summary>
    public int Rows => _rows;

    /// <summary>The most rows per SIMD vector this machine can run (8 with AVX-512, else 4).</summary>
    public static int LanesPerVector => Vector512.IsHardwareAccelerated ? 8 : 4;

    /// <summary>Worker threads (default: all processors).</summary>
    public int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// One chunk: forward from hidden state <paramref name="hidden"/> ([row][H], updated to the state after
    /// the chunk), loss, and (when <paramref name="gradient"/> is not null) the gradient of the loss with respect
    /// to every parameter. <paramref name="inputs"/> and <paramref name="targets"/> give each row's chunk as
    /// (array, offset); <paramref name="length"/> samples are used. Returns the loss.
    /// </summary>
    public double Chunk(GruModel model, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int offset, int length,
        double[][] hidden, double[]? gradient, float[][]? predictions = null) =>
        Chunk(model, inputs, targets, Enumerable.Repeat(offset, _rows).ToArray(), length, hidden, gradient, predictions);

    /// <summary>
    /// As above with a start per row; indices wrap around each row's end, so a circularly shifted row is
    /// read in place (<c>rolled[n] = x[(n − s) mod T]</c> starts at <c>(c·L − s) mod T</c>).
    /// </summary>
    public double Chunk(GruModel model, IReadOnlyList<float[]> inputs, IReadOnlyList<float[]> targets, int[] starts, int length,
        double[][] hidden, double[]? gradient, float[][]? predictions = null) =>
        _wide is not null
            ? _wide.Chunk(model, inputs, targets, starts, length, hidden, gradient, predictions, MaxThreads)
            : _narrow!.Chunk(model, inputs, targets, starts, length, hidden, gradient, predictions, MaxThreads);
}
