namespace Newtone.Fitting;

/// <summary>
/// One SIMD pack of the opto kernel (docs/model.md §11.2): <see cref="Lanes"/> independent (θ, frame) jobs run in lockstep,
/// one per <c>Vector256&lt;double&gt;</c> lane.
/// </summary>
internal struct OptoKernelPack
{
    public const int Lanes = 4;
    public OptoLaneConstants[] Theta;   // [Lanes]
    public float[][] Input;             // [Lanes] channel arrays
    public float[][] Target;            // [Lanes]
    public int[] Start;                 // [Lanes] first sample of each lane's frame
    public int FrameLength, Overlap, Delay;
}
