namespace Newtone.Dsp;

/// <summary>Names of the LA-2A modes as used in folders, files and on the command line.</summary>
public static class La2aModes
{
    /// <summary>"compress" or "limit".</summary>
    public static string Name(this La2aMode mode) => mode == La2aMode.Compress ? "compress" : "limit";

    /// <summary>Parses "compress"/"limit" (also SignalTrain's "0"/"1"); null when neither.</summary>
    public static La2aMode? Parse(string? text) => text?.ToLowerInvariant() switch
    {
        "compress" or "0" => La2aMode.Compress,
        "limit" or "1" => La2aMode.Limit,
        _ => null,
    };
}
