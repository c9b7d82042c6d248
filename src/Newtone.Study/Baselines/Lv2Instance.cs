using System.Runtime.InteropServices;

namespace Newtone.Study;

/// <summary>
/// One running instance of an LV2 plugin with every port connected to host-owned memory: audio ports to blocks of up
/// to <see cref="MaxBlock"/> frames, controls to single floats, atom ports to an empty sequence (inputs) or a buffer of
/// fixed capacity (outputs), CV ports to zeros. The host provides <c>urid:map</c>, <c>urid:unmap</c>, <c>options</c>
/// (block lengths and sample rate) and <c>bufsz:boundedBlockLength</c>. Not thread-safe: one instance per worker.
/// </summary>
internal sealed unsafe class Lv2Instance : IDisposable
{
    private const int AtomCapacity = 1 << 14;

    [StructLayout(LayoutKind.Sequential)]
    private struct Feature
    {
        public byte* Uri;
        public void* Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Option
    {
        public int Context;
        public uint Subject;
        public uint Key;
        public uint Size;
        public uint Type;
        public void* Value;
    }

    private readonly Lv2World _world;
    private readonly List<nint> _native = [];
    private readonly Lilv.LilvInstance* _instance;
    private readonly Lilv.Lv2Descriptor* _d;
    private readonly float*[] _ports;
    private readonly List<(nint Buffer, bool Input)> _atoms = [];
    private readonly uint _sequence, _chunk;
    private bool _active;

    public Lv2Instance(Lv2PluginInfo plugin, int sampleRate, int maxBlock)
    {
        Plugin = plugin;
        MaxBlock = maxBlock;
        _world = Lv2World.Shared;
        _sequence = UridMap.Map(Lv2Uris.AtomSequence);
        _chunk = UridMap.Map(Lv2Uris.AtomChunk);

        // Options: block lengths (atom:Int) and the sample rate (atom:Float), ended by a zeroed option.
        var values = (int*)Alloc(4 * sizeof(int));
        values[0] = maxBlock; values[1] = 1; values[2] = maxBlock;
        ((float*)values)[3] = sampleRate;
        var options = (Option*)Alloc(5 * sizeof(Option));
        uint aInt = UridMap.Map(Lv2Uris.AtomInt), aFloat = UridMap.Map(Lv2Uris.AtomFloat);
        options[0] = new Option { Key = UridMap.Map(Lv2Uris.MaxBlockLength), Size = sizeof(int), Type = aInt, Value = values };
        options[1] = new Option { Key = UridMap.Map(Lv2Uris.MinBlockLength), Size = sizeof(int), Type = aInt, Value = values + 1 };
        options[2] = new Option { Key = UridMap.Map(Lv2Uris.NominalBlockLength), Size = sizeof(int), Type = aInt, Value = values + 2 };
        options[3] = new Option { Key = UridMap.Map(Lv2Uris.SampleRate), Size = sizeof(float), Type = aFloat, Value = values + 3 };

        var provided = new (string Uri, nint Data)[]
        {
            (Lv2Uris.UridMap, (nint)UridMap.MapFeatureData), (Lv2Uris.UridUnmap, (nint)UridMap.UnmapFeatureData),
            (Lv2Uris.Options, (nint)options), (Lv2Uris.BoundedBlockLength, 0),
        };
        var features = (Feature*)Alloc(provided.Length * sizeof(Feature));
        var list = (Feature**)Alloc((provided.Length + 1) * sizeof(nint));
        for (int i = 0; i < provided.Length; i++)
        {
            features[i] = new Feature { Uri = Utf8(provided[i].Uri), Data = (void*)provided[i].Data };
            list[i] = features + i;
        }
        _instance = _world.Instantiate(plugin.Uri, sampleRate, (void**)list);
        if (_instance == null)
        {
            FreeNative();
            throw new InputException($"{plugin.Uri}: the plugin refused to start at {sampleRate} Hz (its instantiate returned nothing)");
        }
        _d = _instance->Descriptor;

        _ports = new float*[plugin.Ports.Count];
        foreach (var port in plugin.Ports)
        {
            void* buffer = port.Kind switch
            {
                Lv2PortKind.AudioIn or Lv2PortKind.AudioOut or Lv2PortKind.CvIn or Lv2PortKind.CvOut => Alloc(maxBlock * sizeof(float)),
                Lv2PortKind.ControlIn or Lv2PortKind.ControlOut => Alloc(sizeof(float)),
                Lv2PortKind.AtomIn or Lv2PortKind.AtomOut => Alloc(AtomCapacity),
                _ => null,
            };
            if (port.Kind is Lv2PortKind.AtomIn or Lv2PortKind.AtomOut) _atoms.Add(((nint)buffer, port.Kind == Lv2PortKind.AtomIn));
            _ports[port.Index] = (float*)buffer;
            _d->ConnectPort(_instance->Handle, (uint)port.Index, buffer);
        }
        foreach (var c in plugin.Controls) *_ports[c.Index] = (float)c.Initial;
    }

    /// <summary>The plugin.</summary>
    public Lv2PluginInfo Plugin { get; }

    /// <summary>The most frames one <see cref="Run"/> processes.</summary>
    public int MaxBlock { get; }

    /// <summary>Sets a control input by port index (read by the plugin at the next run).</summary>
    public void SetControl(int index, float value) => *_ports[index] = value;

    /// <summary>A control port's current value.</summary>
    public float Control(int index) => *_ports[index];

    /// <summary>The buffer of an audio port (<see cref="MaxBlock"/> floats).</summary>
    public Span<float> Audio(int index) => new(_ports[index], MaxBlock);

    /// <summary>The frames of latency the plugin reports (0 when it reports none; read after a run).</summary>
    public int Latency => Plugin.LatencyPort is { } p && _ports[p] != null && float.IsFinite(*_ports[p]) ? Math.Max(0, (int)Math.Round(*_ports[p])) : 0;

    /// <summary>Activates the instance (once, before the first run).</summary>
    public void Activate()
    {
        if (_active) return;
        if (_d->Activate != null) _d->Activate(_instance->Handle);
        _active = true;
    }

    /// <summary>Runs <paramref name="frames"/> frames (1…<see cref="MaxBlock"/>).</summary>
    public void Run(int frames)
    {
        if (frames < 1 || frames > MaxBlock) throw new ArgumentOutOfRangeException(nameof(frames));
        Activate();
        foreach (var (buffer, input) in _atoms)
        {
            var atom = (uint*)buffer;
            // Input: an empty atom:Sequence (body = unit and pad). Output: a chunk of the whole capacity for the plugin to fill.
            atom[0] = input ? 8u : AtomCapacity - 8;
            atom[1] = input ? _sequence : _chunk;
            atom[2] = 0; atom[3] = 0;
        }
        _d->Run(_instance->Handle, (uint)frames);
    }

    private byte* Utf8(string s)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(s);
        var p = (byte*)Alloc(bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }

    private void* Alloc(int bytes) => (void*)Keep((nint)NativeMemory.AllocZeroed((nuint)bytes));

    private nint Keep(nint p)
    {
        _native.Add(p);
        return p;
    }

    private void FreeNative()
    {
        foreach (var p in _native) NativeMemory.Free((void*)p);
        _native.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_native.Count == 0) return;
        if (_instance != null)
        {
            if (_active && _d->Deactivate != null) _d->Deactivate(_instance->Handle);
            _world.Free(_instance);
        }
        FreeNative();
    }
}
