
namespace Newtone.Tests;

/// <summary>
/// A second, deliberately plain implementation of the opto model of docs/model.md §11 (and the objective of §2 on it),
/// written from the page for the tests: scalar double arithmetic, dB and base-10 powers as written, branches as
/// written, one frame at a time, the look-ahead by shifting a stored gain array. Nothing is shared with the processor
/// or the kernels except the parameter maps.
/// </summary>
internal static class OptoReference
{
    /// <summary>
    /// The opto model's mixed smoothed gain ĝ (no make-up) of a detector signal. The branches taken at each sample (static
    /// curve part, detector floor, fast attack, slow charge) are written to <paramref name="record"/> when given; with
    /// <paramref name="replay"/> they are not tested but taken from it — the function whose derivatives the kernel computes
    /// (branches held constant, docs/model.md §11.2).
    /// </summary>
    public static double[] SmoothedGain(ReadOnlySpan<double> detector, double sampleRate, double T, double R, double aa, double ar,
        double W, double phi, double bc, double bs, double kappa, byte[]? record = null, byte[]? replay = null)
    {
        const int Flat = 0, Knee = 1, Line = 2, Expander = 3, Floored = 4, Attack = 8, Charge = 16;
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
            int code;
            if (replay is null)
            {
                code = Math.Abs(e) > 1e-8 ? 0 : Floored;
                double xl0 = 20 * Math.Log10(Math.Max(Math.Abs(e), 1e-8));
                double o0 = xl0 - T;
                double gc0;
                int part;
                if (o0 <= -W / 2) { gc0 = 0; part = Flat; }
                else if (o0 >= W / 2) { gc0 = -S * o0; part = Line; }
                else { gc0 = -S * (o0 + W / 2) * (o0 + W / 2) / (2 * W); part = Knee; }
                if (Se * (-120 - 20 * Math.Log10(Math.Max(Math.Abs(s), 1e-8))) < gc0) part = Expander;
                code |= part;
            }
            else code = replay[n] & 7;
            double xl = (code & Floored) != 0 ? -160 : 20 * Math.Log10(Math.Abs(e));
            double o = xl - T;
            double gl = (code & 3) switch
            {
                Flat => 0,
                Knee => -S * (o + W / 2) * (o + W / 2) / (2 * W),
                Line => -S * o,
                _ => Se * (-120 - 20 * Math.Log10(Math.Max(Math.Abs(s), 1e-8))),   // the expander hears s, not e
            };
            double g = Math.Pow(10, gl / 20);
            bool attack = replay is null ? g < gf : (replay[n] & Attack) != 0;
            bool charge = replay is null ? g < gs : (replay[n] & Charge) != 0;
            gf += (attack ? aa : ar) * (g - gf);
            gs += (charge ? bc : bs) * (g - gs);
            gh[n] = (1 - phi) * gf + phi * gs;
            if (record is not null) record[n] = (byte)(code | (attack ? Attack : 0) | (charge ? Charge : 0));
        }
        return gh;
    }

    /// <summary>ĝ of a model at a sample rate (physical settings through the 2200 rule).</summary>
    public static double[] SmoothedGain(ReadOnlySpan<double> detector, CompressorModel model, double sampleRate,
        byte[]? record = null, byte[]? replay = null)
    {
        var s = model.Settings;
        var o = model.Opto ?? OptoSettings.Neutral;
        double Coef(double ms) => 1 - Math.Exp(-2200 / (ms * sampleRate));
        return SmoothedGain(detector, sampleRate, s.ThresholdDb, s.Ratio, Coef(s.AttackMs), Coef(s.ReleaseMs),
            o.KneeDb, o.SlowShare, Coef(o.ChargeMs), Coef(o.SlowReleaseMs), o.Emphasis, record, replay);
    }

    /// <summary>
    /// L(θ) of docs/model.md §2 for the opto model summed over the frames, and Σρ²; with <paramref name="branches"/> the
    /// branches are recorded into it (empty) or replayed from it (one array per frame).
    /// </summary>
    public static (double Loss, double RefEnergy) Evaluate(TrainingSet data, CompressorModel model, ObjectiveMode mode, int delay,
        List<byte[]>? branches = null)
    {
        bool replaying = branches is { Count: > 0 };
        int frameIndex = 0;
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
            byte[]? record = null, replay = null;
            if (replaying) replay = branches![frameIndex++];
            else if (branches is not null) branches.Add(record = new byte[F]);
            double[] pred, reference;
            if (mode == ObjectiveMode.Forward)
            {
                var gh = ReferenceLoss.Advance(SmoothedGain(x, model, data.SampleRate, record, replay), delay);
                var y = new double[F];
                for (int n = 0; n < F; n++) y[n] = m * gh[n] * x[n];
                pred = ReferenceLoss.PreFilter(y);
                reference = ReferenceLoss.PreFilter(t);
            }
            else
            {
                var px = ReferenceLoss.PreFilter(x);
                var gh = ReferenceLoss.Advance(SmoothedGain(px, model, data.SampleRate, record, replay), delay);
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
