using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>One row of an evaluation CSV (docs/model.md §6 layout), as read back.</summary>
/// <param name="PeakReduction">Level.</param>
/// <param name="Gt">GT ESR.</param>
/// <param name="Linear">Linear-interpolation ESR (odd levels).</param>
/// <param name="Spline">Spline-interpolation ESR (odd levels).</param>
/// <param name="Settings">Fitted parameters.</param>
/// <param name="Opto">The opto model's fitted extras (docs/model.md §11), when the CSV has their columns.</param>
public sealed record EvalRow(int PeakReduction, double Gt, double? Linear, double? Spline, CompressorSettings Settings, OptoSettings? Opto = null)
{
    /// <summary>Parameter <paramref name="p"/>: 0–4 the five settings, 5–9 the opto extras.</summary>
    public double Parameter(int p) => p < 5 ? Settings[p] : Opto![p - 5];
}
