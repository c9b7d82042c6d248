namespace Newtone.Study;

/// <summary>What the baseline host connects to an LV2 port.</summary>
internal enum Lv2PortKind
{
    /// <summary>Audio input: the recording.</summary>
    AudioIn,
    /// <summary>Audio output: the rendering (the first ones kept).</summary>
    AudioOut,
    /// <summary>Control input: one float, set before the first run.</summary>
    ControlIn,
    /// <summary>Control output: one float (meters, latency).</summary>
    ControlOut,
    /// <summary>Atom input: an empty sequence every run.</summary>
    AtomIn,
    /// <summary>Atom output: an empty buffer of fixed capacity every run.</summary>
    AtomOut,
    /// <summary>CV input: zeros.</summary>
    CvIn,
    /// <summary>CV output: a scratch buffer.</summary>
    CvOut,
    /// <summary>A port of another type: connected to nothing (allowed only when the port is optional).</summary>
    Other,
}
