using System.Globalization;
using System.Text.RegularExpressions;

namespace Newtone.Study;

/// <summary>One target recording of the SignalTrain LA-2A dataset, paired with its input (docs/model.md §5).</summary>
/// <param name="Folder">"Train", "Val" or "Test".</param>
/// <param name="Id">Recording id.</param>
/// <param name="Family">"3c" or "2c".</param>
/// <param name="Mode">Compress (0) or limit (1).</param>
/// <param name="PeakReduction">Peak-reduction knob, 0…100.</param>
/// <param name="TargetPath">Absolute path of the target WAV.</param>
/// <param name="InputPath">Absolute path of the paired input WAV.</param>
/// <param name="RelativePath">Target path relative to the dataset root (e.g. Train/target_153_LA2A_3c__0__75.wav).</param>
/// <param name="Seconds">Duration.</param>
/// <param name="SampleRate">Sample rate (Hz).</param>
/// <param name="Channels">Channel count.</param>
public sealed record SignalTrainPair(string Folder, int Id, string Family, La2aMode Mode, int PeakReduction,
    string TargetPath, string InputPath, string RelativePath, double Seconds, int SampleRate, int Channels);
