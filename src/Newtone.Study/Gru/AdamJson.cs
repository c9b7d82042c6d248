using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.Study;

/// <summary>Adam's state in a checkpoint.</summary>
/// <param name="Step">Steps taken.</param>
/// <param name="M">First moments.</param>
/// <param name="V">Second moments.</param>
public sealed record AdamJson(long Step, double[] M, double[] V);
