using System.Runtime.InteropServices;

namespace Newtone.Plugin;

/// <summary>
/// <c>LV2_Descriptor</c> of lv2/core/lv2.h, field for field: the plugin's URI and its seven entry points. The library
/// fills it; our own host (tests) and the benchmark call through it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Lv2Descriptor
{
    public byte* Uri;
    public delegate* unmanaged<Lv2Descriptor*, double, byte*, void*, nint> Instantiate;
    public delegate* unmanaged<nint, uint, void*, void> ConnectPort;
    public delegate* unmanaged<nint, void> Activate;
    public delegate* unmanaged<nint, uint, void> Run;
    public delegate* unmanaged<nint, void> Deactivate;
    public delegate* unmanaged<nint, void> Cleanup;
    public delegate* unmanaged<byte*, void*> ExtensionData;
}
