using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newtone.Study;

/// <summary>One tensor of a state_dict: its shape and values (row-major).</summary>
/// <param name="Shape">Shape.</param>
/// <param name="Values">Values, row-major.</param>
public sealed record TensorJson(int[] Shape, double[] Values);
