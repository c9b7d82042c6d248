namespace Newtone.Dsp;

/// <summary>The two LA-2A modes.</summary>
public enum La2aMode
{
    /// <summary>Compress (SignalTrain mode 0).</summary>
    Compress,

    /// <summary>Limit (SignalTrain mode 1).</summary>
    Limit,
}
