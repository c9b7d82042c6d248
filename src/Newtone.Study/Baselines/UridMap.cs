using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Newtone.Study;

/// <summary>
/// The host's URID map (LV2 <c>urid:map</c> and <c>urid:unmap</c>): one process-wide, thread-safe table of URI → id
/// counting from 1, so every plugin instance on every thread sees the same ids. The native feature structures and
/// the unmapped strings live as long as the process (a few bytes per URI).
/// </summary>
internal static unsafe class UridMap
{
    private static readonly ConcurrentDictionary<string, uint> Ids = new(StringComparer.Ordinal);
    private static readonly List<nint> Strings = [nint.Zero];   // id → UTF-8 URI (index 0 unused)
    private static readonly object Gate = new();

    [StructLayout(LayoutKind.Sequential)]
    private struct MapStruct
    {
        public void* Handle;
        public delegate* unmanaged<void*, byte*, uint> Map;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct UnmapStruct
    {
        public void* Handle;
        public delegate* unmanaged<void*, uint, byte*> Unmap;
    }

    private static readonly Lazy<nint> MapData = new(() =>
    {
        var m = (MapStruct*)NativeMemory.AllocZeroed((nuint)sizeof(MapStruct));
        m->Map = &MapCallback;
        return (nint)m;
    });

    private static readonly Lazy<nint> UnmapData = new(() =>
    {
        var m = (UnmapStruct*)NativeMemory.AllocZeroed((nuint)sizeof(UnmapStruct));
        m->Unmap = &UnmapCallback;
        return (nint)m;
    });

    /// <summary>The <c>LV2_URID_Map*</c> to pass as the urid:map feature's data.</summary>
    public static void* MapFeatureData => (void*)MapData.Value;

    /// <summary>The <c>LV2_URID_Unmap*</c> to pass as the urid:unmap feature's data.</summary>
    public static void* UnmapFeatureData => (void*)UnmapData.Value;

    /// <summary>The id of a URI (a new one, counting from 1, the first time it is seen).</summary>
    public static uint Map(string uri)
    {
        if (Ids.TryGetValue(uri, out uint id)) return id;
        lock (Gate)
        {
            if (Ids.TryGetValue(uri, out id)) return id;
            Strings.Add(Marshal.StringToCoTaskMemUTF8(uri));
            id = (uint)(Strings.Count - 1);
            Ids[uri] = id;
            return id;
        }
    }

    /// <summary>The URI of an id, or null for an unknown id.</summary>
    public static string? Unmap(uint id)
    {
        lock (Gate) return id > 0 && id < Strings.Count ? Marshal.PtrToStringUTF8(Strings[(int)id]) : null;
    }

    [UnmanagedCallersOnly]
    private static uint MapCallback(void* handle, byte* uri)
    {
        if (uri == null) return 0;
        return Map(Marshal.PtrToStringUTF8((nint)uri) ?? "");
    }

    [UnmanagedCallersOnly]
    private static byte* UnmapCallback(void* handle, uint id)
    {
        lock (Gate) return id > 0 && id < Strings.Count ? (byte*)Strings[(int)id] : null;
    }
}
