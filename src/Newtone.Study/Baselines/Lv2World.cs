namespace Newtone.Study;

/// <summary>
/// One lilv world for the process, loaded on first use from the LV2 path (<c>LV2_PATH</c> when set, else the
/// default folders). lilv is not thread-safe, so every call into it holds one lock; plugin instances run without it.
/// </summary>
internal sealed unsafe class Lv2World
{
    private static readonly Lazy<Lv2World> SharedWorld = new(() => new Lv2World());
    private readonly void* _world;
    private readonly void* _plugins;
    private readonly void* _audio, _control, _cv, _atom, _input, _output, _optional;
    private readonly Dictionary<string, Lv2PluginInfo> _infos = new(StringComparer.Ordinal);

    /// <summary>The lock every lilv call holds.</summary>
    public object Gate { get; } = new();

    private Lv2World()
    {
        if (Lilv.Missing is { } why) throw new InputException(why);
        _world = Lilv.lilv_world_new();
        Lilv.lilv_world_load_all(_world);
        _plugins = Lilv.lilv_world_get_all_plugins(_world);
        _audio = Lilv.Uri(_world, Lv2Uris.AudioPort);
        _control = Lilv.Uri(_world, Lv2Uris.ControlPort);
        _cv = Lilv.Uri(_world, Lv2Uris.CvPort);
        _atom = Lilv.Uri(_world, Lv2Uris.AtomPort);
        _input = Lilv.Uri(_world, Lv2Uris.InputPort);
        _output = Lilv.Uri(_world, Lv2Uris.OutputPort);
        _optional = Lilv.Uri(_world, Lv2Uris.ConnectionOptional);
    }

    /// <summary>The process's world (lilv must be installed: otherwise an <see cref="InputException"/> saying so).</summary>
    public static Lv2World Shared => SharedWorld.Value;

    /// <summary>Every installed plugin's URI.</summary>
    public List<string> Uris()
    {
        lock (Gate)
        {
            var list = new List<string>();
            for (void* it = Lilv.lilv_plugins_begin(_plugins); Lilv.lilv_plugins_is_end(_plugins, it) == 0; it = Lilv.lilv_plugins_next(_plugins, it))
                list.Add(Lilv.Text(Lilv.lilv_plugin_get_uri(Lilv.lilv_plugins_get(_plugins, it)))!);
            return list;
        }
    }

    /// <summary>The plugin of a URI, or null when none is installed.</summary>
    public void* Plugin(string uri)
    {
        lock (Gate)
        {
            void* node = Lilv.Uri(_world, uri);
            if (node == null) return null;
            try { return Lilv.lilv_plugins_get_by_uri(_plugins, node); }
            finally { Lilv.lilv_node_free(node); }
        }
    }

    /// <summary>A plugin's name alone (cheaper than <see cref="Info"/>).</summary>
    public string Name(string uri)
    {
        void* p = Plugin(uri);
        if (p == null) return uri;
        lock (Gate)
        {
            void* n = Lilv.lilv_plugin_get_name(p);
            try { return Lilv.Text(n) ?? uri; }
            finally { if (n != null) Lilv.lilv_node_free(n); }
        }
    }

    /// <summary>A plugin's ports, controls and required features, or null when none is installed with this URI.</summary>
    public Lv2PluginInfo? Info(string uri)
    {
        lock (Gate)
        {
            if (_infos.TryGetValue(uri, out var cached)) return cached;
            void* p = Plugin(uri);
            if (p == null) return null;
            string name = Name(uri);
            var ports = new List<Lv2Port>();
            var controls = new List<Lv2Control>();
            uint n = Lilv.lilv_plugin_get_num_ports(p);
            for (uint i = 0; i < n; i++)
            {
                void* port = Lilv.lilv_plugin_get_port_by_index(p, i);
                string symbol = Lilv.Text(Lilv.lilv_port_get_symbol(p, port)) ?? $"port{i}";
                bool input = Lilv.lilv_port_is_a(p, port, _input) != 0;
                bool optional = Lilv.lilv_port_has_property(p, port, _optional) != 0;
                Lv2PortKind kind =
                    Lilv.lilv_port_is_a(p, port, _audio) != 0 ? (input ? Lv2PortKind.AudioIn : Lv2PortKind.AudioOut)
                    : Lilv.lilv_port_is_a(p, port, _control) != 0 ? (input ? Lv2PortKind.ControlIn : Lv2PortKind.ControlOut)
                    : Lilv.lilv_port_is_a(p, port, _atom) != 0 ? (input ? Lv2PortKind.AtomIn : Lv2PortKind.AtomOut)
                    : Lilv.lilv_port_is_a(p, port, _cv) != 0 ? (input ? Lv2PortKind.CvIn : Lv2PortKind.CvOut)
                    : Lv2PortKind.Other;
                ports.Add(new Lv2Port((int)i, kind, symbol, optional));
                if (kind == Lv2PortKind.ControlIn)
                {
                    void* def = null, min = null, max = null;
                    Lilv.lilv_port_get_range(p, port, &def, &min, &max);
                    void* pn = Lilv.lilv_port_get_name(p, port);
                    controls.Add(new Lv2Control((int)i, symbol, Lilv.Text(pn) ?? symbol, Lilv.Number(min), Lilv.Number(max), Lilv.Number(def)));
                    foreach (var node in new[] { (nint)def, (nint)min, (nint)max, (nint)pn })
                        if (node != 0) Lilv.lilv_node_free((void*)node);
                }
            }
            var features = new List<string>();
            void* req = Lilv.lilv_plugin_get_required_features(p);
            if (req != null)
            {
                for (void* it = Lilv.lilv_nodes_begin(req); Lilv.lilv_nodes_is_end(req, it) == 0; it = Lilv.lilv_nodes_next(req, it))
                    features.Add(Lilv.Text(Lilv.lilv_nodes_get(req, it))!);
                Lilv.lilv_nodes_free(req);
            }
            int? latency = Lilv.lilv_plugin_has_latency(p) != 0 ? (int)Lilv.lilv_plugin_get_latency_port_index(p) : null;
            var info = new Lv2PluginInfo
            {
                Uri = uri, Name = name, Ports = ports, Controls = controls, RequiredFeatures = features, LatencyPort = latency,
                AudioInputs = ports.Count(x => x.Kind == Lv2PortKind.AudioIn), AudioOutputs = ports.Count(x => x.Kind == Lv2PortKind.AudioOut),
            };
            _infos[uri] = info;
            return info;
        }
    }

    /// <summary>Instantiates a plugin (null when the plugin refuses); the features must outlive the instance.</summary>
    public Lilv.LilvInstance* Instantiate(string uri, double sampleRate, void** features)
    {
        void* p = Plugin(uri);
        if (p == null) return null;
        lock (Gate) return Lilv.lilv_plugin_instantiate(p, sampleRate, features);
    }

    /// <summary>Frees an instance (its cleanup runs under the lock, as instantiation does).</summary>
    public void Free(Lilv.LilvInstance* instance)
    {
        lock (Gate) Lilv.lilv_instance_free(instance);
    }
}
