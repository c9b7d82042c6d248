using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>One start of the global stage.</summary>
/// <param name="Label">Start label.</param>
/// <param name="Start">Start parameters [T, R, attack ms, release ms, M], then for the opto model [knee dB, slow share, charge ms, slow release ms, emphasis].</param>
/// <param name="End">End parameters.</param>
/// <param name="StageLoss">Loss on the stage's audio.</param>
/// <param name="FullLoss">Loss on all frames (null when not evaluated).</param>
/// <param name="Iterations">Iterations.</param>
public sealed record SearchStartJson(string Label, double[] Start, double[] End, double StageLoss, double? FullLoss, int Iterations);
