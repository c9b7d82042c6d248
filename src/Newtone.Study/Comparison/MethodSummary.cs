namespace Newtone.Study;

/// <summary>One method's mean scores in one mode.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Mode">0 compress, 1 limit (SignalTrain's numbering).</param>
/// <param name="Count">Recordings.</param>
/// <param name="Esr">Mean ESR (a fraction).</param>
/// <param name="DeltaLdr">Mean ΔLDR (dB).</param>
public sealed record MethodSummary(string Method, int Mode, int Count, double Esr, double DeltaLdr);
