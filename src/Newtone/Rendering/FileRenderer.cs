using Newtone.Audio;
using Newtone.Dynamics;

namespace Newtone.Rendering;

/// <summary>
/// Runs a WAV file through the compressor into a 32-bit float WAV, block by block (never the whole file
/// in memory), with the look-ahead latency removed so the output lines up with the input. The output
/// appears only when complete.
/// </summary>
public static class FileRenderer
{
    /// <summary>Frames per block.</summary>
    public const int BlockFrames = 1 << 16;

    /// <summary>Renders <paramref name="inputPath"/> to <paramref name="outputPath"/>; returns the frames written.</summary>
    public static long Render(string inputPath, string outputPath, CompressorSettings settings, bool linked = true, int delay = 0,
        Action<long, long>? progress = null, CancellationToken cancel = default, MakeupGain.GruModel? gru = null)
    {
        using var reader = new WavStreamReader(inputPath);
        int channels = reader.Info.Channels;
        var processor = new MultiChannelCompressor(settings.ToCoefficients(reader.Info.SampleRate), channels, linked, delay);
        // Optional GRU make-up gain after the compressor, one state per channel (applied to what is written).
        var grus = gru is null ? null : Enumerable.Range(0, channels).Select(_ => new MakeupGain.GruStream(gru)).ToArray();
        void Gru(float[][] buf, int count)
        {
            if (grus is null) return;
            for (int c = 0; c < channels; c++) grus[c].Process(buf[c].AsSpan(0, count), buf[c].AsSpan(0, count));
        }
        using var writer = new WavStreamWriter(outputPath, reader.Info.SampleRate, channels);
        var inBuf = Alloc(channels, BlockFrames);
        var outBuf = Alloc(channels, BlockFrames);
        var shifted = Alloc(channels, BlockFrames);
        long total = reader.Info.Frames, done = 0;
        int skip = delay;   // the first `delay` outputs are the latency
        int n;
        while ((n = reader.Read(inBuf, BlockFrames)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            processor.Process(inBuf, outBuf, n);
            int drop = Math.Min(skip, n);
            skip -= drop;
            if (n - drop > 0)
            {
                if (drop == 0)
                {
                    Gru(outBuf, n);
                    writer.Write(outBuf, n);
                }
                else
                {
                    for (int c = 0; c < channels; c++) Array.Copy(outBuf[c], drop, shifted[c], 0, n - drop);
                    Gru(shifted, n - drop);
                    writer.Write(shifted, n - drop);
                }
            }
            done += n;
            progress?.Invoke(done, total);
        }
        if (delay > 0)
        {
            var tail = Alloc(channels, delay);
            processor.Flush(tail);
            // Files shorter than the delay: only their own length comes out.
            int keep = (int)Math.Min(delay, done);
            int from = delay - keep;
            if (from > 0) for (int c = 0; c < channels; c++) Array.Copy(tail[c], from, tail[c], 0, keep);
            Gru(tail, keep);
            writer.Write(tail, keep);
        }
        writer.Commit();
        return done;
    }

    private static float[][] Alloc(int channels, int frames) => Enumerable.Range(0, channels).Select(_ => new float[frames]).ToArray();
}
