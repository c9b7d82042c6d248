using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Newtone.Numerics;

namespace Newtone.Dynamics;

/// <summary>
/// The feed-forward compressor of SPEC §1 as span kernels: the static curve (vectorised over
/// samples, since it is memoryless), the attack/release smoothing recursion, and a whole-buffer
/// pass. The kernels know nothing of files; <see cref="CompressorProcessor"/> is the streaming form.
/// </summary>
public static class Compressor
{
    /// <summary>
    /// Static gain (linear) of each detector sample: <c>g = amp(min(0, (1−1/R)(T−xl), (1−1/ER)(ET−xl)))</c>,
    /// evaluated in natural-log units as <c>g = exp(min(0, s·(kT − ln xa), se·(kET − ln xa)))</c>
    /// with <c>k = ln10/20</c>, <c>s = 1 − 1/R</c>, <c>xa = max(|x|, 1e-8)</c>.
    /// </summary>
    public static void StaticGain(ReadOnlySpan<float> detector, Span<double> gain, double thresholdDb, double ratio)
    {
        if (gain.Length < detector.Length) throw new ArgumentException("gain buffer too short", nameof(gain));
        double s = 1.0 - 1.0 / ratio;
        double kT = Decibels.NepersPerDecibel * thresholdDb;
        double se = GainComputer.ExpanderSlope;
        double kEt = Decibels.NepersPerDecibel * GainComputer.ExpanderThresholdDb;
        int n = detector.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            var vkT = Vector256.Create(kT);
            var vse = Vector256.Create(se);
            var vkEt = Vector256.Create(kEt);
            var floor = Vector256.Create(GainComputer.Floor);
            ref float src = ref MemoryMarshal.GetReference(detector);
            ref double dst = ref MemoryMarshal.GetReference(gain);
            for (; i + 8 <= n; i += 8)
            {
                var f = Vector256.LoadUnsafe(ref src, (nuint)i);
                var lo = Vector256.WidenLower(f);
                var hi = Vector256.WidenUpper(f);
                Gain4(lo, vs, vkT, vse, vkEt, floor).StoreUnsafe(ref dst, (nuint)i);
                Gain4(hi, vs, vkT, vse, vkEt, floor).StoreUnsafe(ref dst, (nuint)(i + 4));
            }
        }
        for (; i < n; i++)
        {
            double lx = Math.Log(Math.Max(Math.Abs((double)detector[i]), GainComputer.Floor));
            double l = Math.Min(0.0, Math.Min(s * (kT - lx), se * (kEt - lx)));
            gain[i] = Math.Exp(l);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Gain4(Vector256<double> x, Vector256<double> s, Vector256<double> kT,
        Vector256<double> se, Vector256<double> kEt, Vector256<double> floor)
    {
        var lx = VectorMath.Log(Vector256.Max(Vector256.Abs(x), floor));
        var l = Vector256.Min(Vector256<double>.Zero, Vector256.Min(s * (kT - lx), se * (kEt - lx)));
        return VectorMath.Exp(l);
    }

    /// <summary>
    /// Attack/release smoothing in place: <c>ĝ[n] = ĝ[n−1] + α(g[n] − ĝ[n−1])</c> with
    /// <c>α = αa</c> when <c>g[n] &lt; ĝ[n−1]</c> (gain falling: attack), else <c>αr</c>.
    /// Returns the last smoothed value (the state to carry into the next block).
    /// </summary>
    public static double Smooth(Span<double> gain, double state, double attack, double release)
    {
        double g = state;
        for (int i = 0; i < gain.Length; i++)
        {
            double target = gain[i];
            double a = target < g ? attack : release;
            g += a * (target - g);
            gain[i] = g;
        }
        return g;
    }

    /// <summary>
    /// One whole-buffer pass of SPEC §1 from the initial state ĝ = 1:
    /// <c>y[n] = amp(M)·ĝ[n+d]·x[n]</c>, the advanced gain padded with 1 at the end.
    /// </summary>
    public static void Process(ReadOnlySpan<float> input, Span<float> output, CompressorCoefficients c, int delay = 0)
    {
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        var processor = new CompressorProcessor(c, delay);
        processor.ProcessAligned(input, output);
    }
}
