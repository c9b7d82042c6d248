using System.Globalization;
using System.Reflection;
using System.Text;

namespace Newtone.IO;

/// <summary>What a finished fit wrote.</summary>
/// <param name="Result">The fit.</param>
/// <param name="Parameters">The params.json contents.</param>
/// <param name="Directory">The run directory.</param>
/// <param name="Audio">Seconds of training audio.</param>
public sealed record FitOutcome(FitResult Result, RunParameters Parameters, string Directory, double Audio);
