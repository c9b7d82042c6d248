namespace Newtone.Study;

/// <summary>The LV2 URIs the baseline host uses.</summary>
internal static class Lv2Uris
{
    public const string Core = "http://lv2plug.in/ns/lv2core#";
    public const string AudioPort = Core + "AudioPort", ControlPort = Core + "ControlPort", CvPort = Core + "CVPort";
    public const string InputPort = Core + "InputPort", OutputPort = Core + "OutputPort";
    public const string ConnectionOptional = Core + "connectionOptional";
    public const string AtomPort = "http://lv2plug.in/ns/ext/atom#AtomPort";
    public const string AtomSequence = "http://lv2plug.in/ns/ext/atom#Sequence", AtomChunk = "http://lv2plug.in/ns/ext/atom#Chunk";
    public const string AtomInt = "http://lv2plug.in/ns/ext/atom#Int", AtomFloat = "http://lv2plug.in/ns/ext/atom#Float";
    public const string UridMap = "http://lv2plug.in/ns/ext/urid#map", UridUnmap = "http://lv2plug.in/ns/ext/urid#unmap";
    public const string Options = "http://lv2plug.in/ns/ext/options#options";
    public const string BoundedBlockLength = "http://lv2plug.in/ns/ext/buf-size#boundedBlockLength";
    public const string MaxBlockLength = "http://lv2plug.in/ns/ext/buf-size#maxBlockLength";
    public const string MinBlockLength = "http://lv2plug.in/ns/ext/buf-size#minBlockLength";
    public const string NominalBlockLength = "http://lv2plug.in/ns/ext/buf-size#nominalBlockLength";
    public const string SampleRate = "http://lv2plug.in/ns/ext/parameters#sampleRate";

    /// <summary>
    /// Features the host provides, and plugin properties some plugins list as required features although they ask
    /// nothing of the host (real-time capability, liveness, and in-place processing being broken: Newtone never
    /// processes in place).
    /// </summary>
    public static readonly string[] Provided =
    [
        UridMap, UridUnmap, Options, BoundedBlockLength,
        Core + "hardRTCapable", Core + "isLive", Core + "inPlaceBroken",
    ];
}
