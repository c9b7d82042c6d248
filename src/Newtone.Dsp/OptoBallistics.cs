using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Newtone.Dsp;

/// <summary>
/// The two-stage ballistics of the opto model (docs/model.md §11). The fast stage is ff5's smoother
/// (<see cref="Ballistics.Step(double, double, double, double)"/>); the slow stage — the cell's memory — is the same step with the
/// charge and slow-release coefficients; the output mixes them:
/// <code>
///   ĝf[n] = ĝf + α(g − ĝf),   α = αa if g &lt; ĝf else αr
///   ĝs[n] = ĝs + β(g − ĝs),   β = βc if g &lt; ĝs else βs
///   ĝ[n]  = ĝf + φ·(ĝs − ĝf)   (= (1 − φ)·ĝf + φ·ĝs; exactly ĝf when φ = 0)
/// </code>
/// </summary>
internal static class OptoBallistics
{
    /// <summary>The mixed gain <c>ĝf + φ·(ĝs − ĝf)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mix(double fast, double slow, double share) => fast + share * (slow - fast);

    /// <summary>The mixed gain per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Mix(Vector256<double> fast, Vector256<double> slow, Vector256<double> share) =>
        Vector256.FusedMultiplyAdd(share, slow - fast, fast);

    /// <summary>
    /// Smooths a block of static gains in place from the stage states (carried on), writing the mixed gain ĝ.
    /// </summary>
    public static void Smooth(Span<double> gain, ref double fast, ref double slow, double attack, double release, in OptoCoefficients c)
    {
        double f = fast, s = slow;
        for (int i = 0; i < gain.Length; i++)
        {
            double g = gain[i];
            f = Ballistics.Step(f, g, attack, release);
            s = Ballistics.Step(s, g, c.Charge, c.SlowRelease);
            gain[i] = Mix(f, s, c.Share);
        }
        fast = f;
        slow = s;
    }
}
