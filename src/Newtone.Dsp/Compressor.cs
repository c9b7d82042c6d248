namespace Newtone.Dsp;

/// <summary>
/// Whole-buffer passes of the compressor of docs/model.md §1 from the initial state ĝ = 1:
/// <c>y[n] = amp(M)·ĝ[n+d]·x[n]</c>, the advanced gain padded with 1 at the end. The per-sample equations live in
/// <see cref="GainComputer"/> (static curve) and <see cref="Ballistics"/> (smoothing); the streaming form is
/// <see cref="CompressorProcessor"/>, which this runs with its latency removed.
/// </summary>
public static class Compressor
{
    /// <summary>Mono whole-buffer pass of a model at a sample rate (Hz).</summary>
    public static void Process(ReadOnlySpan<float> input, Span<float> output, CompressorModel model, int sampleRate) =>
        ProcessAligned(new CompressorProcessor(model, sampleRate), input, output);

    /// <summary>Mono whole-buffer pass with kernel coefficients and a look-ahead of <paramref name="delay"/> samples.</summary>
    public static void Process(ReadOnlySpan<float> input, Span<float> output, CompressorCoefficients coefficients, int delay = 0) =>
        ProcessAligned(new CompressorProcessor(coefficients, delay, 44100), input, output);

    /// <summary>
    /// Runs a whole interleaved buffer through a processor with the latency removed (output frame n lines up with
    /// input frame n), continuing from the processor's state; the processor is reset afterwards.
    /// </summary>
    public static void ProcessAligned(IAudioProcessor processor, ReadOnlySpan<float> input, Span<float> output)
    {
        int ch = processor.Channels, d = processor.LatencySamples;
        if (output.Length < input.Length) throw new ArgumentException("output buffer too short", nameof(output));
        int frames = input.Length / ch;
        if (d == 0)
        {
            processor.Process(input, output);
            processor.Reset();
            return;
        }
        int lead = Math.Min(d, frames);
        // The first d outputs are latency: process them into scratch, then the rest lands aligned.
        var scratch = new float[Math.Max(lead, d) * ch];
        processor.Process(input[..(lead * ch)], scratch.AsSpan(0, lead * ch));
        processor.Process(input[(lead * ch)..], output);
        processor.Flush(scratch);
        // The tail: the last min(d, frames) held frames (the ring holds zeros ahead of a short buffer).
        int keep = lead;
        scratch.AsSpan((d - keep) * ch, keep * ch).CopyTo(output.Slice((frames - keep) * ch, keep * ch));
    }
}
