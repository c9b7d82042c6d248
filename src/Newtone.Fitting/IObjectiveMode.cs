using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VS = System.Runtime.Intrinsics.Vector256;

namespace Newtone.Fitting;

/// <summary>Compile-time switch between the forward and inverse objectives (docs/model.md §2).</summary>
internal interface IObjectiveMode
{
    static abstract bool Inverse { get; }
}
