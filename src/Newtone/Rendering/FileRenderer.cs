using Newtone.Audio;
using Newtone.Dynamics;
using Newtone.MakeupGain;

namespace Newtone.Rendering;

/// <summary>
/// Runs a WAV file through a streaming processor into a 32-bit float WAV, block by block (never the whole
/// file in memory), with the processor's latency removed so the output lines up with the input. The output
/// appears only when complete.
/// </summary>
public static class FileRenderer
{
    /// <summary>Frames per block.</summary>
    public const int BlockFrames = 1 << 16;

    /// <summary>
    /// Renders through the compressor (and, with <paramref name="gru"/>, the GRU make-up gain after it, the
    /// settings' own make-up gain then unused); returns the frames written.
    /// </summary>
    public static long Render(string inputPath, string outputPath, CompressorSettings settings, bool linked = true, int delay = 0,
        Action<long, long>? progress = null, CancellationToken cancel = default, GruModel? gru = null)
    {
        var info = WavFile.ReadInfo(inputPath);
        IBlockProcessor p = gru is null
            ? new MultiChannelCompressor(settings.ToCoefficients(info.SampleRate), info.Channels, linked, delay)
            : new CompressorGruProcessor(settings, gru, info.SampleRate, info.Channels, linked, delay);
        return Render(inputPath, outputPath, p, progress, cancel);
    }

    /// <summary>Renders through any block processor; returns the frames written.</summary>
    public static long Render(string inputPath, string outputPath, IBlockProcessor processor, Action<long, long>? progress = null,
        CancellationToken cancel = default)
    {
        using var reader = new WavStreamReader(inputPath);
        int channels = reader.Info.Channels;
        int delay = processor.LatencySamples;
        using var writer = new WavStreamWriter(outputPath, reader.Info.SampleRate, channels);
        var inBuf = reader.NewBlock(BlockFrames);
        var outBuf = reader.NewBlock(BlockFrames);
        var shifted = reader.NewBlock(BlockFrames);
        long total = reader.Info.Frames, done = 0;
        int skip = delay;   // the first `delay` outputs are the latency
        int n;
        while ((n = reader.Read(inBuf, BlockFrames)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            processor.Process(inBuf, outBuf, n);
            int drop = Math.Min(skip, n);
            skip -= drop;
            if (drop == 0) writer.Write(outBuf, n);
            else if (n > drop)
            {
                for (int c = 0; c < channels; c++) Array.Copy(outBuf[c], drop, shifted[c], 0, n - drop);
                writer.Write(shifted, n - drop);
            }
            done += n;
            progress?.Invoke(done, total);
        }
        if (delay > 0)
        {
            var tail = reader.NewBlock(delay);
            processor.Flush(tail);
            // Files shorter than the delay: only their own length comes out.
            int keep = (int)Math.Min(delay, done);
            int from = delay - keep;
            if (from > 0) for (int c = 0; c < channels; c++) Array.Copy(tail[c], from, tail[c], 0, keep);
            writer.Write(tail, keep);
        }
        writer.Commit();
        return done;
    }

}
