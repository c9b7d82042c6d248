namespace Newtone.IO;

/// <summary>Opens an input file with the decoder its content calls for (WAV or MP3); every failure is one line naming it.</summary>
internal static class AudioSources
{
    /// <summary>The decoder for <paramref name="path"/>, its header read and checked.</summary>
    public static ISampleSource Open(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"{path}: is a folder, not an audio file");
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> head = stackalloc byte[AudioSniffer.HeadBytes];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            if (AudioSniffer.IsMp3(path, head[..n])) return new Mp3SampleSource(stream, path);
            return new WavSampleSource(stream, WavHeader.Parse(stream, path), path);
        }
        catch (InputException)
        {
            stream?.Dispose();
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new InputException($"{path}: cannot be read ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>An exception's message fit for the end of a one-line error.</summary>
    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
