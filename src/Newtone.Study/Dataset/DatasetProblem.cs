using System.Globalization;
using System.Text.RegularExpressions;

namespace Newtone.Study;

/// <summary>A file the index could not use, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record DatasetProblem(string Path, string Problem);
