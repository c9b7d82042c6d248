using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.IO;

/// <summary>The global stage in params.json.</summary>
/// <param name="Candidates">Candidates scored.</param>
/// <param name="Seed">Seed.</param>
/// <param name="AudioSeconds">Audio the stage used.</param>
/// <param name="Excerpts">Excerpts (or frames) used.</param>
/// <param name="Winner">Winning start.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Starts">Each Newton start and where it ended.</param>
public sealed record SearchJson(int Candidates, ulong Seed, double AudioSeconds, int Excerpts, string Winner, double Seconds, List<SearchStartJson> Starts);
