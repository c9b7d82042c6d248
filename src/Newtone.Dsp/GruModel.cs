
namespace Newtone.Dsp;

/// <summary>
/// The residual GRU make-up gain of docs/model.md §7: a one-layer GRU (input 1, hidden <see cref="Hidden"/>) with
/// PyTorch's gate equations, and a Linear layer on the hidden state added to the input:
/// <code>
///   r = σ(W_ir u + b_ir + W_hr h + b_hr)
///   z = σ(W_iz u + b_iz + W_hz h + b_hz)
///   n = tanh(W_in u + b_in + r ⊙ (W_hn h + b_hn))
///   h' = (1 − z) ⊙ n + z ⊙ h
///   out = u + w·h' + b
/// </code>
/// Parameters live in one flat vector in PyTorch's state_dict order and layout: <c>rec.weight_ih_l0</c>
/// [3H×1], <c>rec.weight_hh_l0</c> [3H×H] (row-major), <c>rec.bias_ih_l0</c> [3H], <c>rec.bias_hh_l0</c> [3H],
/// <c>lin.weight</c> [1×H], <c>lin.bias</c> [1]; gate blocks in the order r, z, n.
/// </summary>
public sealed class GruModel
{
    /// <summary>Hidden size of the paper's model.</summary>
    public const int Hidden = 8;

    /// <summary>Gate rows (3H).</summary>
    public const int Gates = 3 * Hidden;

    /// <summary>Offsets into <see cref="Parameters"/>.</summary>
    public const int WihOffset = 0, WhhOffset = Gates, BihOffset = WhhOffset + Gates * Hidden, BhhOffset = BihOffset + Gates,
        LinWOffset = BhhOffset + Gates, LinBOffset = LinWOffset + Hidden, Count = LinBOffset + 1;

    /// <summary>The state_dict names, shapes and offsets, in order.</summary>
    public static readonly (string Name, int[] Shape, int Offset)[] Tensors =
    [
        ("rec.weight_ih_l0", [Gates, 1], WihOffset),
        ("rec.weight_hh_l0", [Gates, Hidden], WhhOffset),
        ("rec.bias_ih_l0", [Gates], BihOffset),
        ("rec.bias_hh_l0", [Gates], BhhOffset),
        ("lin.weight", [1, Hidden], LinWOffset),
        ("lin.bias", [1], LinBOffset),
    ];

    /// <summary>Wraps a parameter vector (copied).</summary>
    public GruModel(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != Count) throw new ArgumentException($"a GRU of hidden size {Hidden} has {Count} parameters, not {parameters.Length}");
        Parameters = parameters.ToArray();
    }

    /// <summary>
    /// PyTorch's default initialisation: every GRU weight and bias uniform in ±1/√H, the Linear weight and
    /// bias uniform in ±1/√H (its fan-in), drawn from a seeded generator.
    /// </summary>
    public static GruModel Initialise(ulong seed)
    {
        var rng = new Rng(seed);
        double k = 1 / Math.Sqrt(Hidden);
        var p = new double[Count];
        for (int i = 0; i < Count; i++) p[i] = rng.Uniform(-k, k);
        return new GruModel(p);
    }

    /// <summary>The flat parameter vector.</summary>
    public double[] Parameters { get; }

    /// <summary>W_ih[row] (row in 0..3H).</summary>
    public double Wih(int row) => Parameters[WihOffset + row];

    /// <summary>W_hh[row, col].</summary>
    public double Whh(int row, int col) => Parameters[WhhOffset + row * Hidden + col];

    /// <summary>b_ih[row].</summary>
    public double Bih(int row) => Parameters[BihOffset + row];

    /// <summary>b_hh[row].</summary>
    public double Bhh(int row) => Parameters[BhhOffset + row];

    /// <summary>Linear weight w[k].</summary>
    public double LinW(int k) => Parameters[LinWOffset + k];

    /// <summary>Linear bias b.</summary>
    public double LinB => Parameters[LinBOffset];

    /// <summary>A copy.</summary>
    public GruModel Clone() => new(Parameters);
}
