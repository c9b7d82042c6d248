namespace Newtone.IO;

/// <summary>
/// Runs a WAV file through a streaming <see cref="IAudioProcessor"/> into a 32-bit float WAV, block by block (never
/// the whole file in memory), with the processor's latency removed so the output lines up with the input and has
/// the input's length. The output appears only when complete (temporary file, then rename).
/// </summary>
public static class FileRenderer
{
    /// <summary>Frames per block.</summary>
    public const int BlockFrames = 1 << 16;

    /// <summary>
    /// Renders through the compressor of <paramref name="model"/> (and, with <paramref name="gru"/>, the GRU make-up
    /// gain after it, the model's own make-up gain then unused); returns the frames written.
    /// </summary>
    public static long Render(string inputPath, string outputPath, CompressorModel model, bool linked = true,
        IProgress<long>? progress = null, CancellationToken cancel = default, GruModel? gru = null)
    {
        var info = WavFile.ReadInfo(inputPath);
        IAudioProcessor p = gru is null
            ? new CompressorProcessor(model, info.SampleRate, info.Channels, linked)
            : new CompressorGruProcessor(model, gru, info.SampleRate, info.Channels, linked);
        return Render(inputPath, outputPath, p, progress, cancel);
    }

    /// <summary>
    /// Renders through a processor prepared for the file's sample rate and channel count; returns the frames written.
    /// <paramref name="progress"/> receives the frames read so far.
    /// </summary>
    public static long Render(string inputPath, string outputPath, IAudioProcessor processor, IProgress<long>? progress = null,
        CancellationToken cancel = default)
    {
        PathGuard.OutputIsNotInput(outputPath, inputPath);
        using var reader = new WavStreamReader(inputPath);
        int ch = reader.Info.Channels;
        if (processor.Channels != ch || processor.SampleRate != reader.Info.SampleRate)
            throw new ArgumentException($"the processor is prepared for {processor.Channels} ch at {processor.SampleRate} Hz, the file has {ch} ch at {reader.Info.SampleRate} Hz");
        int delay = processor.LatencySamples;
        using var writer = new WavStreamWriter(outputPath, reader.Info.SampleRate, ch);
        var buf = new float[BlockFrames * ch];
        long done = 0;
        int skip = delay;   // the first `delay` output frames are the latency
        int n;
        while ((n = reader.ReadInterleaved(buf)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            var block = buf.AsSpan(0, n * ch);
            processor.Process(block, block);
            int drop = Math.Min(skip, n);
            skip -= drop;
            writer.WriteInterleaved(block[(drop * ch)..]);
            done += n;
            progress?.Report(done);
        }
        if (delay > 0)
        {
            var tail = new float[delay * ch];
            processor.Flush(tail);
            // Files shorter than the delay: only their own length comes out.
            int keep = (int)Math.Min(delay, done);
            writer.WriteInterleaved(tail.AsSpan((delay - keep) * ch));
        }
        writer.Commit();
        return done;
    }
}
