using System.Globalization;

namespace Newtone.IO;

/// <summary>
/// An input recording and the same recording through the device being modelled, read and checked
/// for everything that would make a fit meaningless, with errors that name the file.
/// </summary>
public static class TrainingPair
{
    /// <summary>
    /// Reads and checks a pair, optionally cropped to [start, end) seconds. <paramref name="frameLength"/>
    /// gives the samples one frame needs at the file's sample rate (the error names <paramref name="frameKey"/>).
    /// </summary>
    public static (AudioBuffer Input, AudioBuffer Target) Load(string inputPath, string targetPath, double? start = null, double? end = null,
        Func<int, int>? frameLength = null, string frameKey = "data.duration")
    {
        // Both files at once (reading and converting a long recording is mostly memory traffic and page faults, which
        // two cores share well); an error in the input is reported first, as if they had been read one after the other.
        var targetRead = Task.Run(() => WavFile.Read(targetPath));
        AudioBuffer input;
        try
        {
            input = WavFile.Read(inputPath);
        }
        catch
        {
            try { targetRead.Wait(); } catch (AggregateException) { }   // let the other read finish before reporting
            throw;
        }
        var target = targetRead.GetAwaiter().GetResult();   // rethrows the read's own exception
        if (input.SampleRate != target.SampleRate)
            throw new InputException($"{targetPath}: sample rate {target.SampleRate} Hz differs from the input's {input.SampleRate} Hz ({inputPath})");
        if (input.ChannelCount != target.ChannelCount)
            throw new InputException($"{targetPath}: {target.ChannelCount} channel(s) but the input ({inputPath}) has {input.ChannelCount}");
        if (input.Length != target.Length)
            throw new InputException(FormattableString.Invariant(
                $"{targetPath}: length {target.Length} samples ({target.Seconds:F3} s) differs from the input's {input.Length} samples ({input.Seconds:F3} s, {inputPath})"));
        if (start is not null || end is not null)
        {
            int sr = input.SampleRate;
            int a = (int)(sr * (start ?? 0));
            int b = end is { } e ? (int)Math.Min(input.Length, sr * e) : input.Length;
            if (a >= b)
                throw new InputException(FormattableString.Invariant($"{inputPath}: the crop data.train.start={start}..data.train.end={end} s leaves no audio (file is {input.Seconds:F3} s)"));
            input = input.Slice(a, b);
            target = target.Slice(a, b);
        }
        if (target.Channels.All(c => c.All(v => v == 0)))
            throw new InputException($"{targetPath}: the target is silent (every sample is zero{(start is null && end is null ? "" : " in the cropped range")})");
        if (input.Channels.All(c => c.All(v => v == 0)))
            throw new InputException($"{inputPath}: the input is silent (every sample is zero)");
        if (frameLength is not null)
        {
            int need = frameLength(input.SampleRate);
            if (input.Length < need)
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"{inputPath}: {input.Seconds:F3} s of audio is shorter than one frame of {need} samples ({(double)need / input.SampleRate:G4} s); lower {frameKey}"));
        }
        return (input, target);
    }
}
