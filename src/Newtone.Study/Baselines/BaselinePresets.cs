namespace Newtone.Study;

/// <summary>
/// Presets for the compressors Debian packages (calf-plugins, lsp-plugins-lv2, zam-plugins), so a baseline needs no
/// port list. All follow one rule, taken from the reference's published LA-2A fits (<see cref="PublishedSettings"/>):
/// peak reduction lowers the threshold linearly in decibels from 0 dBFS at 0 to −36 dB at 100 (the straight line
/// through the fitted thresholds, −13 dB at 40 and −35 dB at 100); compress is ratio 4 (the fits' 3.7…5.4) and limit
/// ratio 10 (the LA-2A's limit switch raises the ratio); attack 10 ms and release 250 ms (the LA-2A's 10 ms attack,
/// the fits' release around 250 ms); knee and make-up are left at the plugin's defaults.
/// </summary>
public static class BaselinePresets
{
    /// <summary>Threshold at peak reduction 0 and 100 (dB).</summary>
    public const double ThresholdAt0Db = 0, ThresholdAt100Db = -36;

    /// <summary>Ratios for compress and limit.</summary>
    public const double CompressRatio = 4, LimitRatio = 10;

    /// <summary>Attack and release (ms).</summary>
    public const double AttackMs = 10, ReleaseMs = 250;

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<BaselinePreset> All { get; } =
    [
        new("calf-mono", "http://calf.sourceforge.net/plugins/MonoCompressor", "calf-plugins",
            [new("attack", AttackMs), new("release", ReleaseMs)],
            new BaselinePeakMap("threshold", ThresholdAt0Db, ThresholdAt100Db, Decibels: true),
            new BaselineModeMap("ratio", CompressRatio, LimitRatio),
            "Calf Mono Compressor: threshold (linear amplitude) from peak reduction in dB, ratio from mode"),
        new("lsp-mono", "http://lsp-plug.in/plugins/lv2/compressor_mono", "lsp-plugins-lv2",
            [new("cm", 0), new("at", AttackMs), new("rt", ReleaseMs)],
            new BaselinePeakMap("al", ThresholdAt0Db, ThresholdAt100Db, Decibels: true),
            new BaselineModeMap("cr", CompressRatio, LimitRatio),
            "LSP Compressor Mono (downward): attack threshold (linear amplitude) from peak reduction in dB, ratio from mode"),
        new("zam-comp", "urn:zamaudio:ZamComp", "zam-plugins",
            [new("att", AttackMs), new("rel", ReleaseMs), new("sidech", 0)],
            new BaselinePeakMap("thr", ThresholdAt0Db, ThresholdAt100Db),
            new BaselineModeMap("rat", CompressRatio, LimitRatio),
            "ZamComp: threshold (dB) from peak reduction, ratio from mode"),
    ];

    /// <summary>The preset of a name; an <see cref="InputException"/> listing the presets when there is none.</summary>
    public static BaselinePreset Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException($"{name}: no such baseline preset (presets: {string.Join(", ", All.Select(p => p.Name))})");
}
