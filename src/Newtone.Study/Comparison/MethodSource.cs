
namespace Newtone.Study;

/// <summary>A method to compare: a folder of rendered files mirroring the dataset.</summary>
/// <param name="Name">Method name (e.g. 4A2A).</param>
/// <param name="Directory">Rendered tree.</param>
public sealed record MethodSource(string Name, string Directory);
