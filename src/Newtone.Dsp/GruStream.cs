using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Dsp;

/// <summary>
/// The GRU make-up gain as a streaming processor for one channel: any block size, state kept between
/// blocks, <see cref="Reset"/> clears it; output identical to running the whole file in one go. The eight
/// hidden units sit in two SIMD vectors, so a single stream runs fast (real-time hosts, rendering).
/// Follows the <see cref="IAudioProcessor"/> lifecycle with one channel and no latency.
/// </summary>
public sealed class GruStream : IAudioProcessor
{
    private const int H = GruModel.Hidden;
    // Per gate (r, z, n) and input column j: the column W_h[:, j] as two vectors (units 0–3, 4–7).
    private readonly V[] _whLo = new V[3 * H], _whHi = new V[3 * H];
    private readonly V _wiLo0, _wiHi0, _wiLo1, _wiHi1, _wiLo2, _wiHi2;
    private readonly V _bLo0, _bHi0, _bLo1, _bHi1, _bhnLo, _bhnHi, _binLo, _binHi, _linLo, _linHi;
    private readonly double _linB;
    private V _hLo = V.Zero, _hHi = V.Zero;

    /// <summary>Prepares the processor for a sample rate (Hz), with hidden state zero.</summary>
    public GruStream(GruModel model, int sampleRate = 44100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Model = model;
        SampleRate = sampleRate;
        V Lo(Func<int, double> f) => VS.Create(f(0), f(1), f(2), f(3));
        V Hi(Func<int, double> f) => VS.Create(f(4), f(5), f(6), f(7));
        for (int g = 0; g < 3; g++)
            for (int j = 0; j < H; j++)
            {
                int gg = g, jj = j;
                _whLo[g * H + j] = Lo(k => model.Whh(gg * H + k, jj));
                _whHi[g * H + j] = Hi(k => model.Whh(gg * H + k, jj));
            }
        _wiLo0 = Lo(k => model.Wih(k)); _wiHi0 = Hi(k => model.Wih(k));
        _wiLo1 = Lo(k => model.Wih(H + k)); _wiHi1 = Hi(k => model.Wih(H + k));
        _wiLo2 = Lo(k => model.Wih(2 * H + k)); _wiHi2 = Hi(k => model.Wih(2 * H + k));
        _bLo0 = Lo(k => model.Bih(k) + model.Bhh(k)); _bHi0 = Hi(k => model.Bih(k) + model.Bhh(k));
        _bLo1 = Lo(k => model.Bih(H + k) + model.Bhh(H + k)); _bHi1 = Hi(k => model.Bih(H + k) + model.Bhh(H + k));
        _bhnLo = Lo(k => model.Bhh(2 * H + k)); _bhnHi = Hi(k => model.Bhh(2 * H + k));
        _binLo = Lo(k => model.Bih(2 * H + k)); _binHi = Hi(k => model.Bih(2 * H + k));
        _linLo = Lo(model.LinW); _linHi = Hi(model.LinW);
        _linB = model.LinB;
    }

    /// <summary>The model.</summary>
    public GruModel Model { get; }

    /// <inheritdoc />
    public int SampleRate { get; }

    /// <summary>One channel.</summary>
    public int Channels => 1;

    /// <summary>No latency.</summary>
    public int LatencySamples => 0;

    /// <summary>Clears the hidden state.</summary>
    public void Reset() => _hLo = _hHi = V.Zero;

    /// <summary>Nothing is held: does nothing.</summary>
    public void Flush(Span<float> output) { }

    /// <summary>The hidden state (8 values).</summary>
    public double[] State
    {
        get
        {
            var s = new double[H];
            for (int k = 0; k < 4; k++) { s[k] = _hLo[k]; s[k + 4] = _hHi[k]; }
            return s;
        }
        set
        {
            if (value.Length != H) throw new ArgumentException("the GRU state has 8 values");
            _hLo = VS.Create(value[0], value[1], value[2], value[3]);
            _hHi = VS.Create(value[4], value[5], value[6], value[7]);
        }
    }

    /// <summary>Processes a block (<paramref name="output"/> may be the same span as <paramref name="input"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        V hLo = _hLo, hHi = _hHi;
        Span<double> h = stackalloc double[H];
        V[] wLo = _whLo, wHi = _whHi;
        for (int t = 0; t < input.Length; t++)
        {
            double uu = input[t];
            V u = VS.Create(uu);
            hLo.CopyTo(h);
            hHi.CopyTo(h[4..]);
            // Gate pre-activations: W_i·u + b + Σ_j W_h[:, j]·h_j (r and z with both biases, n's recurrent part apart).
            V rLo = VS.FusedMultiplyAdd(_wiLo0, u, _bLo0), rHi = VS.FusedMultiplyAdd(_wiHi0, u, _bHi0);
            V zLo = VS.FusedMultiplyAdd(_wiLo1, u, _bLo1), zHi = VS.FusedMultiplyAdd(_wiHi1, u, _bHi1);
            V nLo = _bhnLo, nHi = _bhnHi;
            for (int j = 0; j < H; j++)
            {
                V hj = VS.Create(h[j]);
                rLo = VS.FusedMultiplyAdd(wLo[j], hj, rLo); rHi = VS.FusedMultiplyAdd(wHi[j], hj, rHi);
                zLo = VS.FusedMultiplyAdd(wLo[H + j], hj, zLo); zHi = VS.FusedMultiplyAdd(wHi[H + j], hj, zHi);
                nLo = VS.FusedMultiplyAdd(wLo[2 * H + j], hj, nLo); nHi = VS.FusedMultiplyAdd(wHi[2 * H + j], hj, nHi);
            }
            rLo = VectorMath.Sigmoid(rLo); rHi = VectorMath.Sigmoid(rHi);
            zLo = VectorMath.Sigmoid(zLo); zHi = VectorMath.Sigmoid(zHi);
            V aLo = VectorMath.Tanh(VS.FusedMultiplyAdd(_wiLo2, u, _binLo) + rLo * nLo);
            V aHi = VectorMath.Tanh(VS.FusedMultiplyAdd(_wiHi2, u, _binHi) + rHi * nHi);
            hLo = aLo + zLo * (hLo - aLo);   // (1 − z)·n + z·h
            hHi = aHi + zHi * (hHi - aHi);
            output[t] = (float)(uu + _linB + VS.Sum(VS.FusedMultiplyAdd(_linLo, hLo, _linHi * hHi)));
        }
        _hLo = hLo;
        _hHi = hHi;
    }
}
