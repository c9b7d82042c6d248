
namespace Newtone.Tests;

/// <summary>
/// A second, deliberately plain implementation of the opto model of docs/model.md §11 (and the objective of §2 on it),
/// written from the page for the tests: scalar double arithmetic, dB and base-10 powers as written, branches as
/// written, one frame at a time, the look-ahead by shifting a stored gain array. Nothing is shared with the processor
/// or the kernels except the parameter maps.
/// </summary>
internal static class OptoReference
{
    /// <summary>The opto model's mixed smoothed gain ĝ (no make-up) of a detector signal.</summary>
    public static double[] SmoothedGain(ReadOnlySpan<double> detector, double sampleRate, double T, double R, double aa, double ar,
        double W, double phi, double bc, double bs, double kappa)
    {
        double ae = Math.Exp(-2 * Math.PI * 1000 / sampleRate);
        double S = 1 - 1 / R, Se = 1 - 1 / 0.9999;
        var gh = new double[detector.Length];
        double h = 0, prev = 0, gf = 1, gs = 1;
        for (int n = 0; n < detector.Length; n++)
        {
            double s = detector[n];
            h = ae * (h + s - prev);
            prev = s;
            double e = s + kappa * h;
            double xl = 20 * Math.Log10(Math.Max(Math.Abs(e), 1e-8));
            double o = xl - T;
            double gc;
            if (o <= -W / 2) gc = 0;
            else if (o >= W / 2) gc = -S * o;
            else gc = -S * (o + W / 2) * (o + W / 2) / (2 * W);
            double gl = Math.Min(gc, Se * (-120 - xl));
            double g = Math.Pow(10, gl / 20);
            gf += (g < gf ? aa : ar) * (g - gf);
            gs += (g < gs ? bc : bs) * (g - gs);
            gh[n] = (1 - phi) * gf + phi * gs;
        }
        return gh;
    }

    /// <summary>ĝ of a model at a sample rate (physical settings through the 2200 rule).</summary>
    public static double[] SmoothedGain(ReadOnlySpan<double> detector, CompressorModel model, double sampleRate)
    {
        var s = model.Settings;
        var o = model.Opto ?? OptoSettings.Neutral;
        double Coef(double ms) => 1 - Math.Exp(-2200 / (ms * sampleRate));
        return SmoothedGain(detector, sampleRate, s.ThresholdDb, s.Ratio, Coef(s.AttackMs), Coef(s.ReleaseMs),
            o.KneeDb, o.SlowShare, Coef(o.ChargeMs), Coef(o.SlowReleaseMs), o.Emphasis);
    }

    /// <summary>L(θ) of docs/model.md §2 for the opto model summed over the frames, and Σρ².</summary>
    public static (double Loss, double RefEnergy) Evaluate(TrainingSet data, CompressorModel model, ObjectiveMode mode, int delay)
    {
        int F = data.Layout.FrameLength, O = data.Layout.Overlap;
        double m = ReferenceLoss.Amp(model.Settings.MakeUpDb);
        double loss = 0, energy = 0;
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
                var gh = ReferenceLoss.Advance(SmoothedGain(x, model, data.SampleRate), delay);
                var y = new double[F];
                for (int n = 0; n < F; n++) y[n] = m * gh[n] * x[n];
                pred = ReferenceLoss.PreFilter(y);
                reference = ReferenceLoss.PreFilter(t);
            }
            else
            {
                var px = ReferenceLoss.PreFilter(x);
                var gh = ReferenceLoss.Advance(SmoothedGain(px, model, data.SampleRate), delay);
                var w = new double[F];
                for (int n = 0; n < F; n++) w[n] = t[n] / (m * gh[n]);
                pred = ReferenceLoss.PreFilter(w);
                reference = px;
            }
            for (int n = O; n < F; n++)
            {
                double e = pred[n] - reference[n];
                loss += e * e;
                energy += reference[n] * reference[n];
            }
        }
        return (loss, energy);
    }
}
