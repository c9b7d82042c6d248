using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Newtone.Plugin;

/// <summary>
/// The LV2 C ABI (lv2/core/lv2.h): <c>lv2_descriptor(index)</c> returns the mono plugin (index 0) and the
/// stereo-linked plugin (index 1) of the bundle this library sits in. The bundle is found from the library's own path
/// (<c>dladdr</c>), its <c>newtone.model</c> read once; instances are GC handles to <see cref="La2aPlugin"/> objects.
/// </summary>
public static unsafe class Lv2Exports
{
    /// <summary>The model file's name in a bundle.</summary>
    public const string ModelFile = "newtone.model";

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public byte* FileName;
        public void* BaseAddress;
        public byte* SymbolName;
        public void* SymbolAddress;
    }

    [DllImport("libc", EntryPoint = "dladdr")]
    private static extern int DlAddr(void* address, DlInfo* info);

    private static Lv2Descriptor* _descriptors;
    private static PluginModel? _model;
    private static readonly Lock Gate = new();

    /// <summary>The model of the bundle this library was loaded from (null when it cannot be read).</summary>
    private static PluginModel? Model()
    {
        if (_model is not null) return _model;
        DlInfo info;
        delegate* unmanaged<uint, void*> self = &Descriptor;
        if (DlAddr(self, &info) == 0 || info.FileName == null) return null;
        string library = Marshal.PtrToStringUTF8((nint)info.FileName)!;
        string file = Path.Combine(Path.GetDirectoryName(library) ?? ".", ModelFile);
        try
        {
            _model = PluginModel.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"newtone lv2: {file}: {e.Message}");
            return null;
        }
        return _model;
    }

    /// <summary>The AVX-512 build's name inside a bundle.</summary>
    public const string Avx512File = "newtone_lv2_avx512.so";

    private static delegate* unmanaged<uint, void*> _forward;
    private static bool _dispatched;

    /// <summary>
    /// The AVX-512 build of this library beside it, when this is the portable build, the bundle has a GRU (whose step
    /// needs the 32 vector registers; the compressor alone runs as fast on 16), the CPU and kernel support AVX-512
    /// (F, BW, CD, DQ, VL in /proc/cpuinfo) and NEWTONE_LV2_PORTABLE is not set; null otherwise.
    /// </summary>
    private static delegate* unmanaged<uint, void*> Forward()
    {
        if (_dispatched) return _forward;
        _dispatched = true;
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Environment.GetEnvironmentVariable("NEWTONE_LV2_PORTABLE") is "1") return null;
        if (Model()?.Gru is null) return null;
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
            if (!new[] { "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl" }.All(flags.Contains)) return null;
            DlInfo info;
            delegate* unmanaged<uint, void*> self = &Descriptor;
            if (DlAddr(self, &info) == 0 || info.FileName == null) return null;
            string wide = Path.Combine(Path.GetDirectoryName(Marshal.PtrToStringUTF8((nint)info.FileName)!) ?? ".", Avx512File);
            if (!File.Exists(wide)) return null;
            _forward = (delegate* unmanaged<uint, void*>)NativeLibrary.GetExport(NativeLibrary.Load(wide), "lv2_descriptor");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            _forward = null;
        }
        return _forward;
    }

    /// <summary><c>const LV2_Descriptor* lv2_descriptor(uint32_t index)</c>.</summary>
    [UnmanagedCallersOnly(EntryPoint = "lv2_descriptor")]
    public static void* Descriptor(uint index)
    {
        if (index > 1) return null;
        lock (Gate)
        {
            if (Forward() is var forward && forward != null) return forward(index);
            if (_descriptors == null)
            {
                var model = Model();
                if (model is null) return null;
                var d = (Lv2Descriptor*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(Lv2Descriptor)));
                for (int i = 0; i < 2; i++)
                {
                    d[i].Uri = Utf8(model.Uri + (i == 0 ? "#mono" : "#stereo"));
                    d[i].Instantiate = &Instantiate;
                    d[i].ConnectPort = &ConnectPort;
                    d[i].Activate = &Activate;
                    d[i].Run = &Run;
                    d[i].Deactivate = &Deactivate;
                    d[i].Cleanup = &Cleanup;
                    d[i].ExtensionData = &ExtensionData;
                }
                _descriptors = d;
            }
            return &_descriptors[index];
        }
    }

    private static byte* Utf8(string s)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(s);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        p[bytes.Length] = 0;
        return p;
    }

    [UnmanagedCallersOnly]
    private static nint Instantiate(Lv2Descriptor* descriptor, double sampleRate, byte* bundlePath, void* features)
    {
        try
        {
            var model = Model();
            if (model is null || !(sampleRate > 0)) return 0;
            int channels = descriptor == &_descriptors[0] ? 1 : 2;
            return GCHandle.ToIntPtr(GCHandle.Alloc(new La2aPlugin(model, sampleRate, channels)));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"newtone lv2: cannot instantiate: {e.Message}");
            return 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static La2aPlugin Get(nint handle) => (La2aPlugin)GCHandle.FromIntPtr(handle).Target!;

    [UnmanagedCallersOnly]
    private static void ConnectPort(nint handle, uint port, void* data)
    {
        var p = Get(handle);
        if (port < p.Ports.Length) p.Ports[port] = (float*)data;
    }

    [UnmanagedCallersOnly]
    private static void Activate(nint handle) => Get(handle).Activate();

    [UnmanagedCallersOnly]
    private static void Run(nint handle, uint frames) => Get(handle).Run((int)frames);

    [UnmanagedCallersOnly]
    private static void Deactivate(nint handle) { }

    [UnmanagedCallersOnly]
    private static void Cleanup(nint handle) => GCHandle.FromIntPtr(handle).Free();

    [UnmanagedCallersOnly]
    private static void* ExtensionData(byte* uri) => null;
}
