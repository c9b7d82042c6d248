using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>A physical range as stored in params.json.</summary>
/// <param name="Min">Lower bound.</param>
/// <param name="Max">Upper bound.</param>
public sealed record RangeJson(double Min, double Max);
