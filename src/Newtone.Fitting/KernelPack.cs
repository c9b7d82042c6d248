using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Fitting;

/// <summary>
/// One SIMD pack: as many independent (θ, frame) jobs as the kernel has vector lanes
/// (<see cref="ObjectiveKernel.Lanes"/> or <see cref="ObjectiveKernel512.Lanes"/>), run in lockstep, one per lane.
/// </summary>
internal struct KernelPack
{
    public LaneConstants[] Theta;   // [Lanes]
    public float[][] Input;         // [Lanes] channel arrays
    public float[][] Target;        // [Lanes]
    public int[] Start;             // [Lanes] first sample of each lane's frame
    public int FrameLength, Overlap, Delay;
}
