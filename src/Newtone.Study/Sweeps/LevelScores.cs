using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>One row of the evaluation (docs/model.md §6).</summary>
/// <param name="PeakReduction">Level.</param>
/// <param name="Gt">ESR of the level's own fit on its training recording.</param>
/// <param name="Linear">ESR of the linearly interpolated parameters (odd levels only).</param>
/// <param name="Spline">ESR of the spline-interpolated parameters (odd levels only).</param>
/// <param name="Settings">The level's fitted parameters.</param>
/// <param name="LinearSettings">Linearly interpolated parameters, when evaluated.</param>
/// <param name="SplineSettings">Spline-interpolated parameters, when evaluated.</param>
/// <param name="Opto">The level's fitted opto extras (docs/model.md §11), or null for ff5.</param>
public sealed record LevelScores(int PeakReduction, double Gt, double? Linear, double? Spline, CompressorSettings Settings,
    CompressorSettings? LinearSettings, CompressorSettings? SplineSettings, OptoSettings? Opto = null);
