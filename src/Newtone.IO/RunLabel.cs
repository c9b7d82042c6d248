using System.Globalization;
using System.Reflection;
using System.Text;

namespace Newtone.IO;

/// <summary>The LA-2A setting a run models.</summary>
/// <param name="Mode">Compress or limit.</param>
/// <param name="PeakReduction">Peak-reduction knob.</param>
/// <param name="DatasetId">SignalTrain id of the training recording, when known.</param>
public sealed record RunLabel(La2aMode Mode, int PeakReduction, int? DatasetId);
