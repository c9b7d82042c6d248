namespace Newtone.Plugin;

/// <summary>Kinds of LV2 port Newtone's plugin has.</summary>
public enum PortKind
{
    /// <summary>Audio input.</summary>
    AudioIn,

    /// <summary>Audio output.</summary>
    AudioOut,

    /// <summary>Control input.</summary>
    ControlIn,

    /// <summary>Control output.</summary>
    ControlOut,
}
