using System.Diagnostics;
using Newtone.Dynamics;
using Newtone.Fitting;
using Newtone.Synthesis;

const int sr = 44100;
double seconds = args.Length > 0 ? double.Parse(args[0]) : 600;
var sw = Stopwatch.StartNew();
var x = MusicGenerator.Generate(seconds, sr, 1);
Console.WriteLine($"generate {seconds}s: {sw.Elapsed.TotalSeconds:F2}s");
var truth = new CompressorSettings(-21.9, 4.24, 2.86, 243, 0.34);
var y = new float[x.Length];
sw.Restart();
Compressor.Process(x, y, truth.ToCoefficients(sr));
Console.WriteLine($"render: {x.Length / sw.Elapsed.TotalSeconds / 1e6:F1} M samples/s");
var data = new TrainingSet([x], [y], sr, FrameLayout.FromSeconds(sr, 12, 1));
var space = ParameterSpace.Default(sr);
var obj = new Objective(data, space);
var theta = space.FromSettings(new CompressorSettings(-30, 3, 5, 150, 0));
long processed = (long)data.Frames.Count * data.Layout.FrameLength;
obj.Loss(theta); obj.Derivatives(theta);
for (int rep = 0; rep < 3; rep++)
{
    sw.Restart();
    obj.Loss(theta);
    double tl = sw.Elapsed.TotalSeconds;
    sw.Restart();
    obj.Derivatives(theta);
    double td = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"loss: {processed / tl / 1e6:F1} M samples/s   loss+grad+hess: {processed / td / 1e6:F1} M samples/s");
}
obj.MaxThreads = 1;
for (int rep = 0; rep < 2; rep++)
{
    sw.Restart();
    obj.Loss(theta);
    double tl = sw.Elapsed.TotalSeconds;
    sw.Restart();
    obj.Derivatives(theta);
    double td = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"1 thread: loss: {processed / tl / 1e6:F1} M samples/s   loss+grad+hess: {processed / td / 1e6:F1} M samples/s");
}
