using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>The ranges a run used.</summary>
/// <param name="Ratio">Ratio range, or null for R = 1 + e^u.</param>
/// <param name="AttackMs">Attack range, or null for α = σ(u).</param>
/// <param name="ReleaseMs">Release range, or null for α = σ(u).</param>
/// <param name="KneeDb">Opto model: knee width range in dB (null for ff5).</param>
/// <param name="SlowShare">Opto model: slow stage share range.</param>
/// <param name="ChargeMs">Opto model: slow stage charge time range in ms.</param>
/// <param name="SlowReleaseMs">Opto model: slow stage release time range in ms.</param>
/// <param name="Emphasis">Opto model: side-chain emphasis range.</param>
public sealed record RangesJson(RangeJson? Ratio, RangeJson? AttackMs, RangeJson? ReleaseMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeJson? KneeDb = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeJson? SlowShare = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeJson? ChargeMs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeJson? SlowReleaseMs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeJson? Emphasis = null);
