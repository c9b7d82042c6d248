using System.Globalization;
using System.Text;

namespace Newtone.Study;

/// <summary>ESR of a level's fit on another recording of the same setting.</summary>
/// <param name="PeakReduction">Level.</param>
/// <param name="Recording">Relative path of the target.</param>
/// <param name="Family">"3c" or "2c".</param>
/// <param name="Seconds">Duration.</param>
/// <param name="Esr">ESR.</param>
public sealed record HeldOutScore(int PeakReduction, string Recording, string Family, double Seconds, double Esr);
