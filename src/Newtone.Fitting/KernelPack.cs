using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Fitting;

/// <summary>
/// One SIMD pack: <see cref="Lanes"/> independent (θ, frame) jobs run in lockstep, one per vector lane.
/// </summary>
internal struct KernelPack
{
    public const int Lanes = 4;
    public LaneConstants[] Theta;   // [Lanes]
    public float[][] Input;         // [Lanes] channel arrays
    public float[][] Target;        // [Lanes]
    public int[] Start;             // [Lanes] first sample of each lane's frame
    public int FrameLength, Overlap, Delay;
}
