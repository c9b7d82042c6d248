namespace Newtone.Study;

/// <summary>How the LA-2A's mode switch sets one control: <paramref name="Compress"/> for compress files, <paramref name="Limit"/> for limit files.</summary>
/// <param name="Symbol">The control's symbol.</param>
/// <param name="Compress">Value for compress.</param>
/// <param name="Limit">Value for limit.</param>
public sealed record BaselineModeMap(string Symbol, double Compress, double Limit)
{
    /// <summary>The value for a mode.</summary>
    public double ValueFor(La2aMode mode) => mode == La2aMode.Compress ? Compress : Limit;
}
