
namespace Newtone.Tests;

/// <summary>
/// A second, deliberately plain implementation of SPEC §1–§2 written from the specification for the
/// tests: scalar double arithmetic, base-10 logarithms and powers as written in the spec, one frame
/// at a time, the delay applied by shifting a stored gain array. Nothing is shared with the kernel
/// except the parameter map.
/// </summary>
internal static class ReferenceLoss
{
    public static double Amp(double db) => Math.Pow(10, db / 20);

    /// <summary>Smoothed gain ĝ of SPEC §1 (no make-up), plus attack/release sample counts.</summary>
    public static double[] SmoothedGain(ReadOnlySpan<double> detector, double T, double R, double aa, double ar,
        out int attacks, out int releases)
    {
        attacks = releases = 0;
        var gh = new double[detector.Length];
        double prev = 1;
        for (int n = 0; n < detector.Length; n++)
        {
            double xl = 20 * Math.Log10(Math.Max(Math.Abs(detector[n]), 1e-8));
            double gl = Math.Min(0, Math.Min((1 - 1 / R) * (T - xl), (1 - 1 / 0.9999) * (-120 - xl)));
            double g = Amp(gl);
            double a;
            if (g < prev) { a = aa; attacks++; } else { a = ar; releases++; }
            prev = prev + a * (g - prev);
            gh[n] = prev;
        }
        return gh;
    }

    public static double[] PreFilter(ReadOnlySpan<double> s)
    {
        var p = new double[s.Length];
        double prevS = 0, prevP = 0;
        for (int n = 0; n < s.Length; n++)
        {
            p[n] = s[n] - prevS + 0.995 * prevP;
            prevS = s[n];
            prevP = p[n];
        }
        return p;
    }

    public static double[] Advance(double[] gain, int d)
    {
        var o = new double[gain.Length];
        for (int n = 0; n < gain.Length; n++) o[n] = n + d < gain.Length ? gain[n + d] : 1.0;
        return o;
    }

    /// <summary>L(θ) of SPEC §2 summed over the frames, and Σρ² for the ESR.</summary>
    public static (double Loss, double RefEnergy, int Attacks, int Releases) Evaluate(
        TrainingSet data, ParameterSpace space, Theta theta, ObjectiveMode mode, int delay)
    {
        var c = space.ToCoefficients(theta);
        int F = data.Layout.FrameLength, O = data.Layout.Overlap;
        double loss = 0, energy = 0;
        int att = 0, rel = 0;
        foreach (var f in data.Frames)
        {
            var x = new double[F];
            var t = new double[F];
            for (int n = 0; n < F; n++)
            {
                x[n] = data.Input[f.Channel][f.Start + n];
                t[n] = data.Target[f.Channel][f.Start + n];
            }
            double[] pred, reference;
            if (mode == ObjectiveMode.Forward)
            {
                var gh = Advance(SmoothedGain(x, c.ThresholdDb, c.Ratio, c.Attack, c.Release, out int a, out int r), delay);
                att += a; rel += r;
                var y = new double[F];
                for (int n = 0; n < F; n++) y[n] = Amp(c.MakeUpDb) * gh[n] * x[n];
                pred = PreFilter(y);
                reference = PreFilter(t);
            }
            else
            {
                var px = PreFilter(x);
                var gh = Advance(SmoothedGain(px, c.ThresholdDb, c.Ratio, c.Attack, c.Release, out int a, out int r), delay);
                att += a; rel += r;
                var w = new double[F];
                for (int n = 0; n < F; n++) w[n] = t[n] / (Amp(c.MakeUpDb) * gh[n]);
                pred = PreFilter(w);
                reference = px;
            }
            for (int n = O; n < F; n++)
            {
                double e = pred[n] - reference[n];
                loss += e * e;
                energy += reference[n] * reference[n];
            }
        }
        return (loss, energy, att, rel);
    }
}
