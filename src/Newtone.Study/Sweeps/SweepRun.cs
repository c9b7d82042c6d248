using System.Globalization;
using System.Text.RegularExpressions;

namespace Newtone.Study;

/// <summary>A finished run of a sweep: its level and parameters.</summary>
/// <param name="Mode">LA-2A mode.</param>
/// <param name="PeakReduction">Peak-reduction setting.</param>
/// <param name="Directory">The run directory (<c>la2a_&lt;peak&gt;</c>).</param>
/// <param name="Parameters">Its params.json.</param>
public sealed record SweepRun(La2aMode Mode, int PeakReduction, string Directory, RunParameters Parameters);
