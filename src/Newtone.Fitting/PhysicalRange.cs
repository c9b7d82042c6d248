
namespace Newtone.Fitting;

/// <summary>A physical range [Min, Max] from the configuration (<c>compressor.range.*</c>).</summary>
/// <param name="Min">Lower bound.</param>
/// <param name="Max">Upper bound.</param>
public readonly record struct PhysicalRange(double Min, double Max);
