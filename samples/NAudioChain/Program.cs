// NAudioChain — Newtone's LA-2A emulation as one link of an NAudio ISampleProvider chain.
//
// What it shows
//   * a test signal written as a plain NAudio ISampleProvider (ChordBursts, below): chord hits that alternate
//     between loud and 20 dB quieter, so the compressor has something to grab and something to leave alone;
//   * the compressor at a published LA-2A peak-reduction setting (La2aPresets, interpolated between the published
//     fits at 40, 45, …, 100) wrapped in Newtone.IO's ProcessorSampleProvider, which turns any Newtone
//     IAudioProcessor into an ISampleProvider;
//   * the host's pull loop: read blocks from the end of the chain, write them with NAudio's WaveFileWriter, and read
//     a gain-reduction meter off the processor between blocks;
//   * input and output peak / RMS levels, measured by two pass-through meters placed before and after the compressor.
//
// Chain:  ChordBursts → LevelMeter (dry) → ProcessorSampleProvider(CompressorProcessor) → LevelMeter (wet) → WaveFileWriter
//
// Run it (from the repository root):
//   dotnet run --project samples/NAudioChain -c Release
//   dotnet run --project samples/NAudioChain -c Release -- out.wav 80      (output path, peak reduction 40…100)
// The default output is naudio-chain.wav in the temp folder, the default peak reduction 62.5.

using System.Globalization;
using NAudio.Wave;
using Newtone.Dsp;
using Newtone.IO;

// Every number below is printed with the invariant culture (decimal point, no grouping), whatever the machine's locale.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "naudio-chain.wav");
double peakReduction = 62.5;
if (args.Length > 1 && !double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out peakReduction))
{
    Console.Error.WriteLine($"peak reduction '{args[1]}' is not a number");
    return 2;
}

// The published LA-2A fits (compress mode), interpolated to any setting between the knots.
var presets = La2aPresets.Published(La2aMode.Compress);
if (!(peakReduction >= presets.Min && peakReduction <= presets.Max))
{
    Console.Error.WriteLine($"peak reduction {peakReduction} lies outside the published range {presets.Min}…{presets.Max}");
    return 2;
}
CompressorModel model = presets.At(peakReduction);

// 1. The source: 6 s of stereo chord hits at 44.1 kHz.
var source = new ChordBursts(sampleRate: 44100, channels: 2, seconds: 6);

// 2. A meter on the dry signal (a pass-through provider: it only looks at the samples).
var dry = new LevelMeter(source);

// 3. The compressor as an ISampleProvider. ProcessorSampleProvider calls `prepare` once with the source's sample rate;
//    the processor must be built for the source's channel count too (the constructor checks both). The two channels
//    are stereo-linked (the default): one gain, detected from the louder channel, drives both.
//    The published presets have no look-ahead, so the processor has no latency and nothing needs compensating.
var la2a = new ProcessorSampleProvider(dry, (sampleRate, channels) => new CompressorProcessor(model, sampleRate, channels));
var compressor = (CompressorProcessor)la2a.Processor;   // kept to read the gain-reduction meter

// 4. A meter on the compressed signal.
var wet = new LevelMeter(la2a);

// 5. The host loop. WaveFileWriter.CreateWaveFile(path, wet.ToWaveProvider()) would do the same in one line; pulling
//    the blocks ourselves lets us read the compressor's smoothed gain ĝ between blocks, like a GR needle.
//    The output format is 32-bit float (ProcessorSampleProvider's WaveFormat), so levels above 0 dBFS survive.
int blockFrames = 512;
var block = new float[blockFrames * wet.WaveFormat.Channels];
double maxReductionDb = 0, windowReductionDb = 0;
var meterLine = new List<(double Seconds, double ReductionDb)>();
long frames = 0;
int sr = wet.WaveFormat.SampleRate;
using (var writer = new WaveFileWriter(path, wet.WaveFormat))
{
    int n;
    while ((n = wet.Read(block)) > 0)
    {
        writer.WriteSamples(block, 0, n);
        long before = frames;
        frames += n / wet.WaveFormat.Channels;
        // Gain reduction of the compressor stage alone (make-up gain not included): −dB(ĝ).
        double reductionDb = -Decibels.FromAmplitude(compressor.SmoothedGain);
        maxReductionDb = Math.Max(maxReductionDb, reductionDb);
        // A peak-hold meter for the little chart below: the largest reading in each quarter second.
        windowReductionDb = Math.Max(windowReductionDb, reductionDb);
        if (frames * 4 / sr != before * 4 / sr || n < block.Length)
        {
            meterLine.Add((frames / (double)sr, windowReductionDb));
            windowReductionDb = 0;
        }
    }
}

Console.WriteLine($"chain:  ChordBursts → LevelMeter → ProcessorSampleProvider → LevelMeter → WaveFileWriter");
Console.WriteLine($"source: {frames / (double)sr:F2} s, {wet.WaveFormat.Channels} ch, {sr} Hz");
Console.WriteLine($"LA-2A compress at peak reduction {peakReduction:G}: {model}");
Console.WriteLine($"latency: {compressor.LatencySamples} samples");
Console.WriteLine();
Console.WriteLine($"gain-reduction meter (largest −dB(ĝ) read after each {blockFrames}-frame block, per quarter second up to t):");
foreach (var (t, gr) in meterLine)
    Console.WriteLine($"  t = {t,5:F2} s   GR {gr,5:F2} dB  {new string('#', (int)Math.Round(gr * 2))}");
Console.WriteLine();
Console.WriteLine("            peak dBFS    RMS dBFS");
Console.WriteLine($"  input    {dry.PeakDb,9:F2}   {dry.RmsDb,9:F2}");
Console.WriteLine($"  output   {wet.PeakDb,9:F2}   {wet.RmsDb,9:F2}");
Console.WriteLine();
Console.WriteLine($"gain reduction: up to {maxReductionDb:F2} dB on the meter; RMS level change {wet.RmsDb - dry.RmsDb:+0.00;-0.00} dB " +
                  $"(after {model.Settings.MakeUpDb:F2} dB make-up), peak change {wet.PeakDb - dry.PeakDb:+0.00;-0.00} dB");
Console.WriteLine($"wrote {path} ({frames} frames, 32-bit float)");
return 0;

/// <summary>
/// A finite test signal as an NAudio <see cref="ISampleProvider"/>: an A-minor chord (with its bass note) struck every
/// 0.75 s, each hit decaying exponentially, the hits alternating between loud (peaks a few dB below full scale) and
/// 20 dB quieter. The chord's notes are panned slightly apart so the two channels differ. After <c>seconds</c> it
/// returns 0 (end of stream).
/// </summary>
sealed class ChordBursts(int sampleRate, int channels, double seconds) : ISampleProvider
{
    private static readonly double[] Notes = [110.0, 220.0, 261.63, 329.63];   // A2, A3, C4, E4 (Hz)
    private readonly long _length = (long)(seconds * sampleRate);
    private long _position;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);

    public int Read(Span<float> buffer)
    {
        int frames = (int)Math.Min(buffer.Length / channels, _length - _position);
        for (int i = 0; i < frames; i++, _position++)
        {
            double t = _position / (double)sampleRate;
            int hit = (int)(t / 0.75);
            double sinceHit = t - hit * 0.75;
            double level = hit % 2 == 0 ? 1.0 : Decibels.ToAmplitude(-20);
            // 2 ms linear attack, then an exponential decay with a 0.3 s time constant.
            double envelope = level * Math.Min(1, sinceHit / 0.002) * Math.Exp(-sinceHit / 0.3);
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int k = 0; k < Notes.Length; k++)
                {
                    // Note k leans left or right by up to ±30 % depending on k and the channel.
                    double pan = channels == 1 ? 1 : 1 + 0.3 * ((k + c) % 2 == 0 ? 1 : -1) * k / Notes.Length;
                    double phase = 2 * Math.PI * Notes[k] * t;
                    sum += pan * (Math.Sin(phase) + 0.3 * Math.Sin(2 * phase));   // fundamental + a soft 2nd harmonic
                }
                buffer[i * channels + c] = (float)(envelope * sum / (Notes.Length * 1.3));
            }
        }
        return frames * channels;
    }
}

/// <summary>
/// A pass-through <see cref="ISampleProvider"/> that measures what flows through it: the peak and the RMS over all
/// channels, in dBFS.
/// </summary>
sealed class LevelMeter(ISampleProvider source) : ISampleProvider
{
    private double _peak, _sumSquares;
    private long _count;

    public WaveFormat WaveFormat => source.WaveFormat;

    public double PeakDb => Decibels.FromAmplitude(_peak);

    public double RmsDb => Decibels.FromAmplitude(Math.Sqrt(_sumSquares / Math.Max(1, _count)));

    public int Read(Span<float> buffer)
    {
        int n = source.Read(buffer);
        foreach (float v in buffer[..n])
        {
            _peak = Math.Max(_peak, Math.Abs(v));
            _sumSquares += (double)v * v;
        }
        _count += n;
        return n;
    }
}
