using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>One row of an evaluation CSV (docs/model.md §6 layout), as read back.</summary>
/// <param name="PeakReduction">Level.</param>
/// <param name="Gt">GT ESR.</param>
/// <param name="Linear">Linear-interpolation ESR (odd levels).</param>
/// <param name="Spline">Spline-interpolation ESR (odd levels).</param>
/// <param name="Settings">Fitted parameters.</param>
public sealed record EvalRow(int PeakReduction, double Gt, double? Linear, double? Spline, CompressorSettings Settings);
