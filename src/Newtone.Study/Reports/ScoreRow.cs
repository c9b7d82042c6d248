using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>One row of a scores CSV (docs/model.md §8): a method's ESR and ΔLDR on one recording.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Mode">0 compress, 1 limit.</param>
/// <param name="PeakValue">Peak reduction.</param>
/// <param name="Esr">ESR.</param>
/// <param name="Ldr">ΔLDR (prediction minus target).</param>
public sealed record ScoreRow(string Method, int Mode, int PeakValue, double Esr, double Ldr);
