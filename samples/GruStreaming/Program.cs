// GruStreaming — the full emulation (compressor + GRU make-up gain) streamed block by block.
//
// This program references only Newtone.Dsp.
//
// What it shows
//   * building a GruModel: by default PyTorch's initialisation from a seed (GruModel.Initialise: untrained weights,
//     so the sound means nothing, but the mechanics are the same), or the weights of a trained checkpoint
//     (`best.json` of a GRU training run, or its directory) read with System.Text.Json;
//   * CompressorGruProcessor: the compressor (make-up gain off) followed by one GRU per channel, stereo-linked;
//     here with a 1 ms look-ahead added to the published LA-2A preset, so the output lags the input by
//     LatencySamples frames and Flush has a tail to emit;
//   * the IAudioProcessor contract: blocks of any size (0 and 1 included), processed in place, followed by Flush,
//     give exactly the output of one whole-buffer call followed by Flush — the program prints the largest
//     difference, which must be 0;
//   * throughput in × real time.
//
// Run it (from the repository root):
//   dotnet run --project samples/GruStreaming -c Release
//   dotnet run --project samples/GruStreaming -c Release -- path/to/best.json     (trained weights)
// The exit code is 0 when streaming matches the whole-buffer pass bit for bit, 1 when it does not, 2 on a bad checkpoint.

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Newtone.Dsp;

// Every number below is printed with the invariant culture (decimal point, no grouping), whatever the machine's locale.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const int SampleRate = 44100, Channels = 2;
const double Seconds = 10;
const ulong WeightSeed = 7, SignalSeed = 11;

// 1. The GRU: from a checkpoint when one is given, otherwise seeded initial weights.
GruModel gru;
if (args.Length > 0)
{
    try
    {
        gru = LoadCheckpoint(args[0]);
        Console.WriteLine($"GRU: weights from {args[0]}");
    }
    catch (Exception e) when (e is IOException or JsonException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"{args[0]}: {e.Message}");
        return 2;
    }
}
else
{
    gru = GruModel.Initialise(WeightSeed);
    Console.WriteLine($"GRU: untrained, PyTorch initialisation with seed {WeightSeed} ({GruModel.Count} parameters, hidden size {GruModel.Hidden})");
}

// 2. The compressor: the published LA-2A compress preset at peak reduction 62.5, plus a 1 ms look-ahead.
//    (CompressorGruProcessor ignores the model's make-up gain: the GRU is the make-up gain.)
CompressorModel preset = La2aPresets.Published(La2aMode.Compress).At(62.5);
var model = new CompressorModel(preset.Settings, LookAheadMs: 1.0);
Console.WriteLine($"compressor: {model} (its make-up gain is unused: the GRU is the make-up gain)");

// 3. A stereo test signal (interleaved L R L R …).
float[] input = TestSignal(SampleRate, Channels, Seconds, SignalSeed);
int frames = input.Length / Channels;

// 4. Reference: the whole buffer in one Process call, then Flush for the frames the look-ahead still holds.
var whole = new CompressorGruProcessor(model, gru, SampleRate, Channels);
int latency = whole.LatencySamples;
var expected = new float[(frames + latency) * Channels];
whole.Process(input, expected);
whole.Flush(expected.AsSpan(frames * Channels));
bool silentLead = expected.AsSpan(0, latency * Channels).IndexOfAnyExcept(0f) < 0;
Console.WriteLine($"signal: {Seconds:G} s, {Channels} ch at {SampleRate} Hz (seed {SignalSeed}); latency {latency} frames " +
                  $"(first {latency} output frames silent: {(silentLead ? "yes" : "NO")}; Flush emits the last {latency})");

// 5. Streaming: a host hands over blocks of changing size, here cycling through a list that includes empty blocks and
//    single frames. Each block is copied into the host's buffer and processed in place (input and output the same span).
int[] blockSizes = [0, 1, 2, 31, 0, 256, 1, 4096, 333, 1024, 0, 17, 64, 1, 2048, 5];
var hostBuffer = new float[blockSizes.Max() * Channels];
var streamed = new float[expected.Length];
var stream = new CompressorGruProcessor(model, gru, SampleRate, Channels);
int position = 0, blocks = 0;
for (int k = 0; position < frames; k++, blocks++)
{
    int n = Math.Min(blockSizes[k % blockSizes.Length], frames - position);
    var block = hostBuffer.AsSpan(0, n * Channels);
    input.AsSpan(position * Channels, n * Channels).CopyTo(block);
    stream.Process(block, block);                                   // in place
    block.CopyTo(streamed.AsSpan(position * Channels));
    position += n;
}
stream.Flush(streamed.AsSpan(frames * Channels));                   // the held tail; Flush also resets the processor

double maxDiff = MaxAbsDifference(expected, streamed);
Console.WriteLine($"streamed in {blocks} blocks of sizes {string.Join(", ", blockSizes)} (cycled): " +
                  $"max |streamed − whole| = {maxDiff:G}");

// After Flush the processor is back in its initial state: a second whole pass on the same instance matches too.
var again = new float[expected.Length];
stream.Process(input, again);
stream.Flush(again.AsSpan(frames * Channels));
double maxDiffAgain = MaxAbsDifference(expected, again);
Console.WriteLine($"second pass on the same processor after Flush: max |difference| = {maxDiffAgain:G}");

// 6. Throughput: best of a few whole-buffer passes, and of a few passes in 512-frame blocks.
double wholeSeconds = Best(() =>
{
    whole.Reset();
    whole.Process(input, expected.AsSpan(0, input.Length));
});
double blockSeconds = Best(() =>
{
    whole.Reset();
    for (int p = 0; p < frames; p += 512)
    {
        int n = Math.Min(512, frames - p);
        whole.Process(input.AsSpan(p * Channels, n * Channels), expected.AsSpan(p * Channels, n * Channels));
    }
});
Console.WriteLine($"throughput ({Channels} ch): whole buffer {Seconds / wholeSeconds:F0}× real time, " +
                  $"512-frame blocks {Seconds / blockSeconds:F0}× real time " +
                  $"({wholeSeconds * 1e9 / (frames * Channels):F1} ns per sample)");

bool identical = maxDiff == 0 && maxDiffAgain == 0 && silentLead;
Console.WriteLine(identical ? "streaming equals the whole-buffer pass." : "MISMATCH between streaming and the whole-buffer pass.");
return identical ? 0 : 1;

static double MaxAbsDifference(float[] a, float[] b)
{
    double max = 0;
    for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
    return max;
}

// Wall time (s) of the fastest of five runs after one warm-up run.
static double Best(Action run)
{
    run();
    double best = double.PositiveInfinity;
    for (int i = 0; i < 5; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    return best;
}

// Interleaved stereo: noise bursts and tones whose level jumps every 50–400 ms between −40 and −3 dBFS, a little
// different in each channel, from a seeded generator.
static float[] TestSignal(int sampleRate, int channels, double seconds, ulong seed)
{
    var rng = new Rng(seed);
    int frames = (int)(seconds * sampleRate);
    var x = new float[frames * channels];
    double phase = 0;
    for (int i = 0; i < frames;)
    {
        int end = Math.Min(frames, i + (int)(rng.Uniform(0.05, 0.4) * sampleRate));
        double level = Decibels.ToAmplitude(rng.Uniform(-40, -3));
        double step = 2 * Math.PI * rng.Uniform(80, 1500) / sampleRate;
        double noise = rng.Uniform(0, 1);
        for (; i < end; i++)
        {
            phase += step;
            for (int c = 0; c < channels; c++)
                x[i * channels + c] = (float)(level * ((1 - noise) * Math.Sin(phase + c) + noise * rng.Uniform(-1, 1)));
        }
    }
    return x;
}

// A GRU checkpoint as written by Newtone's GRU training (`newtone-gru/1`): under "state_dict", every tensor of
// GruModel.Tensors with its "shape" and row-major "values". A directory stands for its best.json.
static GruModel LoadCheckpoint(string path)
{
    if (Directory.Exists(path)) path = Path.Combine(path, "best.json");
    using var json = JsonDocument.Parse(File.ReadAllText(path));
    if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("state_dict", out var stateDict))
        throw new InvalidDataException("not a Newtone GRU checkpoint (no state_dict)");
    var parameters = new double[GruModel.Count];
    foreach (var (name, shape, offset) in GruModel.Tensors)
    {
        if (!stateDict.TryGetProperty(name, out var tensor) || !tensor.TryGetProperty("values", out var array))
            throw new InvalidDataException($"the checkpoint lacks {name}");
        var values = array.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        if (values.Length != count) throw new InvalidDataException($"{name} has {values.Length} values, expected {count}");
        values.CopyTo(parameters, offset);
    }
    return new GruModel(parameters);
}
