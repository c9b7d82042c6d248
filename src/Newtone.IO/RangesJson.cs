using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>The ranges a run used.</summary>
/// <param name="Ratio">Ratio range, or null for R = 1 + e^u.</param>
/// <param name="AttackMs">Attack range, or null for α = σ(u).</param>
/// <param name="ReleaseMs">Release range, or null for α = σ(u).</param>
public sealed record RangesJson(RangeJson? Ratio, RangeJson? AttackMs, RangeJson? ReleaseMs);
