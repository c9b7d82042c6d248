namespace Newtone.IO;

/// <summary>A decoder behind <see cref="WavStreamReader"/>: the format facts and interleaved float frames, in order.</summary>
internal interface ISampleSource : IDisposable
{
    /// <summary>The format and length.</summary>
    WavFile.Info Info { get; }

    /// <summary>
    /// Decodes up to <c>interleaved.Length / Channels</c> frames; returns the frames decoded, 0 only at the end. A file
    /// that ends before <see cref="WavFile.Info.Frames"/> frames is an <see cref="InputException"/>.
    /// </summary>
    int Read(Span<float> interleaved);
}
