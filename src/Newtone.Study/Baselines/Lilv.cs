using System.Runtime.InteropServices;

namespace Newtone.Study;

/// <summary>
/// The few functions of lilv (the LV2 host library, Debian's liblilv-0-0) that Newtone's baseline host calls, by
/// P/Invoke. Every call into a world goes through <see cref="Lv2World"/>, which serialises them (lilv is not thread-safe).
/// C <c>bool</c> results are one byte.
/// </summary>
internal static unsafe class Lilv
{
    public const string Library = "liblilv-0.so.0";

    private static readonly Lazy<string?> MissingReason = new(() =>
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return "LV2 plugins are hosted through lilv on Linux";
        if (NativeLibrary.TryLoad(Library, typeof(Lilv).Assembly, null, out _)) return null;
        return "the LV2 host library lilv is not installed (Debian/Ubuntu: apt-get install liblilv-0-0)";
    });

    /// <summary>Why lilv cannot be used here, or null when it can.</summary>
    public static string? Missing => MissingReason.Value;

    [DllImport(Library)] public static extern void* lilv_world_new();
    [DllImport(Library)] public static extern void lilv_world_load_all(void* world);
    [DllImport(Library)] public static extern void lilv_world_free(void* world);
    [DllImport(Library)] public static extern void* lilv_world_get_all_plugins(void* world);
    [DllImport(Library)] public static extern void* lilv_plugins_begin(void* plugins);
    [DllImport(Library)] public static extern void* lilv_plugins_next(void* plugins, void* iter);
    [DllImport(Library)] public static extern byte lilv_plugins_is_end(void* plugins, void* iter);
    [DllImport(Library)] public static extern void* lilv_plugins_get(void* plugins, void* iter);
    [DllImport(Library)] public static extern void* lilv_plugins_get_by_uri(void* plugins, void* uri);
    [DllImport(Library)] public static extern void* lilv_new_uri(void* world, byte* uri);
    [DllImport(Library)] public static extern void lilv_node_free(void* node);
    [DllImport(Library)] public static extern byte* lilv_node_as_string(void* node);
    [DllImport(Library)] public static extern byte* lilv_node_as_uri(void* node);
    [DllImport(Library)] public static extern float lilv_node_as_float(void* node);
    [DllImport(Library)] public static extern byte lilv_node_is_float(void* node);
    [DllImport(Library)] public static extern byte lilv_node_is_int(void* node);
    [DllImport(Library)] public static extern byte lilv_node_is_bool(void* node);
    [DllImport(Library)] public static extern byte lilv_node_as_bool(void* node);
    [DllImport(Library)] public static extern void* lilv_nodes_begin(void* nodes);
    [DllImport(Library)] public static extern void* lilv_nodes_next(void* nodes, void* iter);
    [DllImport(Library)] public static extern byte lilv_nodes_is_end(void* nodes, void* iter);
    [DllImport(Library)] public static extern void* lilv_nodes_get(void* nodes, void* iter);
    [DllImport(Library)] public static extern void lilv_nodes_free(void* nodes);
    [DllImport(Library)] public static extern void* lilv_plugin_get_uri(void* plugin);
    [DllImport(Library)] public static extern void* lilv_plugin_get_name(void* plugin);
    [DllImport(Library)] public static extern uint lilv_plugin_get_num_ports(void* plugin);
    [DllImport(Library)] public static extern void* lilv_plugin_get_port_by_index(void* plugin, uint index);
    [DllImport(Library)] public static extern void* lilv_plugin_get_required_features(void* plugin);
    [DllImport(Library)] public static extern byte lilv_plugin_has_latency(void* plugin);
    [DllImport(Library)] public static extern uint lilv_plugin_get_latency_port_index(void* plugin);
    [DllImport(Library)] public static extern void* lilv_port_get_symbol(void* plugin, void* port);
    [DllImport(Library)] public static extern void* lilv_port_get_name(void* plugin, void* port);
    [DllImport(Library)] public static extern byte lilv_port_is_a(void* plugin, void* port, void* portClass);
    [DllImport(Library)] public static extern byte lilv_port_has_property(void* plugin, void* port, void* property);
    [DllImport(Library)] public static extern void lilv_port_get_range(void* plugin, void* port, void** def, void** min, void** max);
    [DllImport(Library)] public static extern LilvInstance* lilv_plugin_instantiate(void* plugin, double sampleRate, void** features);
    [DllImport(Library)] public static extern void lilv_instance_free(LilvInstance* instance);

    /// <summary>lilv.h's <c>struct LilvInstanceImpl</c> (its <c>lilv_instance_*</c> functions are static inline).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LilvInstance
    {
        public Lv2Descriptor* Descriptor;
        public nint Handle;
        public void* Pimpl;
    }

    /// <summary>lv2.h's <c>LV2_Descriptor</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Lv2Descriptor
    {
        public byte* Uri;
        public delegate* unmanaged<Lv2Descriptor*, double, byte*, void**, nint> Instantiate;
        public delegate* unmanaged<nint, uint, void*, void> ConnectPort;
        public delegate* unmanaged<nint, void> Activate;
        public delegate* unmanaged<nint, uint, void> Run;
        public delegate* unmanaged<nint, void> Deactivate;
        public delegate* unmanaged<nint, void> Cleanup;
        public delegate* unmanaged<byte*, void*> ExtensionData;
    }

    /// <summary>A node's text (URI or literal), or null for a null node.</summary>
    public static string? Text(void* node) => node == null ? null : Marshal.PtrToStringUTF8((nint)lilv_node_as_string(node));

    /// <summary>A node's number (float, int or bool literal), or null.</summary>
    public static double? Number(void* node)
    {
        if (node == null) return null;
        if (lilv_node_is_float(node) != 0 || lilv_node_is_int(node) != 0) return lilv_node_as_float(node);
        if (lilv_node_is_bool(node) != 0) return lilv_node_as_bool(node) != 0 ? 1 : 0;
        return null;
    }

    /// <summary>A new URI node (free it with <see cref="lilv_node_free"/>).</summary>
    public static void* Uri(void* world, string uri)
    {
        nint s = Marshal.StringToCoTaskMemUTF8(uri);
        try { return lilv_new_uri(world, (byte*)s); }
        finally { Marshal.FreeCoTaskMem(s); }
    }
}
