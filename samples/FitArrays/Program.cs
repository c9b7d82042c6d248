// FitArrays — fitting Newtone's compressor model to audio held in plain float arrays.
//
// This program references only Newtone.Dsp and Newtone.Fitting. Neither has a package dependency, so a program that
// fits the compressor pulls in no plotting, YAML, NAudio or ONNX package: arrays in, model out. (Reading WAV files,
// YAML configurations and run directories is Newtone.IO's job; this sample needs none of it.)
//
// What it shows
//   1. synthesising input audio with a seeded generator (Newtone.Dsp.Rng), so every run is identical;
//   2. making the target with a known CompressorModel through the whole-buffer pass Compressor.Process;
//   3. framing the pair into a TrainingSet (6 s frames overlapping by 1 s: the first second of every frame is
//      warm-up for the compressor's state and is not counted in the loss);
//   4. fitting with Fitter.Fit under the default parameter ranges and options (global stage, then Newton–Raphson);
//   5. comparing the recovered parameters with the true ones.
// Because the target was made by the model itself, the fit should recover it almost exactly (ESR near zero).
//
// Run it (from the repository root):
//   dotnet run --project samples/FitArrays -c Release
// It takes a few seconds. The exit code is 0 when the fit recovers the model (ESR below 1e-6), 1 otherwise.

using System.Globalization;
using Newtone.Dsp;
using Newtone.Fitting;

// Every number below is printed with the invariant culture (decimal point, no grouping), whatever the machine's locale.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const int SampleRate = 44100;
const double Seconds = 26;       // 26 s cut into 6 s frames with a 5 s hop: 5 frames, 25 s counted in the loss
const ulong Seed = 2026;

// 1. Input: a deterministic, level-varying test signal (see Synthesise below).
float[] input = Synthesise(SampleRate, Seconds, Seed);

// 2. Target: the input through a known compressor (threshold dB, ratio, attack ms, release ms, make-up dB; no look-ahead).
var truth = new CompressorModel(new CompressorSettings(ThresholdDb: -22, Ratio: 5, AttackMs: 4, ReleaseMs: 120, MakeUpDb: 3));
var target = new float[input.Length];
Compressor.Process(input, target, truth, SampleRate);

// 3. The training set: one row per channel (mono here), framed as the reference does.
var data = new TrainingSet([input], [target], SampleRate, FrameLayout.FromSeconds(SampleRate, durationSeconds: 6, overlapSeconds: 1));

// 4. The fit: default ranges (ratio 1–20, attack 0.1–100 ms, release 10–1000 ms) and default options, which start
//    from T −36 dB, R 4, attack 1 ms, release 200 ms, M 0 dB and run the seeded global stage before Newton.
var space = ParameterSpace.Default(SampleRate);
var options = new FitOptions();
Console.WriteLine($"input: {Seconds:G} s of synthetic audio at {SampleRate} Hz (seed {Seed}), {data.Frames.Count} frames of " +
                  $"{data.Layout.FrameLength / (double)SampleRate:G} s, {data.Layout.Overlap / (double)SampleRate:G} s warm-up each");
Console.WriteLine($"fitting from {options.Initial} (global-stage seed {options.Search.Seed}) …");
FitResult fit = Fitter.Fit(data, space, options);

// 5. True against recovered.
CompressorSettings t = truth.Settings, f = fit.Settings;
Console.WriteLine();
Console.WriteLine("parameter          true      fitted    rel. error");
Row("threshold dB", t.ThresholdDb, f.ThresholdDb);
Row("ratio", t.Ratio, f.Ratio);
Row("attack ms", t.AttackMs, f.AttackMs);
Row("release ms", t.ReleaseMs, f.ReleaseMs);
Row("make-up dB", t.MakeUpDb, f.MakeUpDb);
Console.WriteLine();
Console.WriteLine($"ESR {fit.Esr:0.000E+00}, loss {fit.Loss:0.000E+00}, {fit.Iterations} Newton iterations, stopped: {fit.Stop}, {fit.Seconds:F2} s");
Console.WriteLine($"fitted model: {fit.Model}");

bool recovered = fit.Esr < 1e-6;
Console.WriteLine(recovered ? "recovered the model." : "the fit did NOT recover the model.");
return recovered ? 0 : 1;

static void Row(string name, double truth, double fitted) =>
    Console.WriteLine($"{name,-13} {truth,9:F3}  {fitted,10:F4}  {Math.Abs(fitted - truth) / Math.Abs(truth),10:0.00E+00}");

// A test signal that exercises every parameter: segments of 60–600 ms, each at its own level between −40 and −3 dBFS
// (so the signal moves above and below the threshold, and both attack and release are heard), each a tone at its own
// frequency (60–2000 Hz) with some white noise. The level moves to each new value over ~1 ms to avoid clicks.
static float[] Synthesise(int sampleRate, double seconds, ulong seed)
{
    var rng = new Rng(seed);
    var x = new float[(int)(seconds * sampleRate)];
    double smooth = Math.Exp(-1.0 / (0.001 * sampleRate));   // one-pole level smoothing, 1 ms
    double level = 0, phase = 0;
    int i = 0;
    while (i < x.Length)
    {
        int length = (int)(rng.Uniform(0.06, 0.6) * sampleRate);
        double targetLevel = Decibels.ToAmplitude(rng.Uniform(-40, -3));
        double step = 2 * Math.PI * Math.Exp(rng.Uniform(Math.Log(60), Math.Log(2000))) / sampleRate;   // log-uniform frequency
        double noise = rng.Uniform(0, 0.3);
        for (int end = Math.Min(x.Length, i + length); i < end; i++)
        {
            level = targetLevel + smooth * (level - targetLevel);
            phase += step;
            x[i] = (float)(level * ((1 - noise) * Math.Sin(phase) + noise * rng.Uniform(-1, 1)));
        }
    }
    return x;
}
