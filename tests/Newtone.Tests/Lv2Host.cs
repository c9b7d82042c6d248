using System.Runtime.InteropServices;

namespace Newtone.Tests;

/// <summary>
/// A minimal LV2 host of our own, through the C ABI of the bundle's shared library (what lv2apply cannot do: blocks of
/// chosen sizes, control changes during playback, deactivate/activate, reconnecting ports between runs).
/// </summary>
internal sealed unsafe class Lv2Host : IDisposable
{
    private readonly Newtone.Plugin.Lv2Descriptor* _d;
    private readonly nint _instance;
    private readonly float*[] _controls;
    private readonly nint _features;

    public Lv2Host(string bundle, int index, double sampleRate, int ports)
    {
        nint lib = NativeLibrary.Load(Path.Combine(bundle, Newtone.Plugin.Lv2Bundle.LibraryFile));
        var get = (delegate* unmanaged<uint, Newtone.Plugin.Lv2Descriptor*>)NativeLibrary.GetExport(lib, "lv2_descriptor");
        _d = get((uint)index);
        if (_d == null) throw new InvalidOperationException("lv2_descriptor returned null");
        Uri = Marshal.PtrToStringUTF8((nint)_d->Uri)!;
        _features = Marshal.AllocHGlobal(IntPtr.Size);
        *(void**)_features = null;
        nint path = Marshal.StringToCoTaskMemUTF8(bundle + "/");
        _instance = _d->Instantiate(_d, sampleRate, (byte*)path, (void*)_features);
        Marshal.FreeCoTaskMem(path);
        if (_instance == 0) throw new InvalidOperationException("instantiate returned null");
        _controls = new float*[ports];
        for (int i = 0; i < ports; i++) _controls[i] = (float*)NativeMemory.AllocZeroed(sizeof(float));
    }

    public string Uri { get; }

    public void Control(int port, float value)
    {
        *_controls[port] = value;
        _d->ConnectPort(_instance, (uint)port, _controls[port]);
    }

    public void Connect(int port, float* data) => _d->ConnectPort(_instance, (uint)port, data);

    public void Activate() => _d->Activate(_instance);

    public void Deactivate() => _d->Deactivate(_instance);

    public void Run(int frames) => _d->Run(_instance, (uint)frames);

    /// <summary>Runs planar channels through the plugin in blocks of the given sizes (cycled); audio ports 0..ch-1 in, ch..2ch-1 out.</summary>
    public float[][] Process(float[][] input, IReadOnlyList<int> blocks, Action<int>? beforeBlock = null)
    {
        int ch = input.Length, n = input[0].Length;
        var output = Enumerable.Range(0, ch).Select(_ => new float[n]).ToArray();
        var pins = input.Concat(output).Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToList();
        try
        {
            int pos = 0, k = 0;
            while (pos < n)
            {
                int len = Math.Min(blocks[k++ % blocks.Count], n - pos);
                beforeBlock?.Invoke(pos);
                // Reconnected before every run, as hosts may do.
                for (int c = 0; c < ch; c++)
                {
                    Connect(c, (float*)pins[c].AddrOfPinnedObject() + pos);
                    Connect(ch + c, (float*)pins[ch + c].AddrOfPinnedObject() + pos);
                }
                Run(len);
                pos += len;
            }
        }
        finally
        {
            foreach (var p in pins) p.Free();
        }
        return output;
    }

    public void Dispose()
    {
        _d->Cleanup(_instance);
        foreach (var c in _controls) NativeMemory.Free(c);
        Marshal.FreeHGlobal(_features);
    }
}
