using System.Globalization;
using System.Text;

namespace Newtone.Plugin;

/// <summary>
/// What an LV2 bundle emulates, stored in the bundle as <c>newtone.model</c> (plain text, read at instantiate): either
/// peak-reduction knots for compress and/or limit mode (the published LA-2A fits or a user's sweep, interpolated with
/// the not-a-knot spline as <c>newtone process</c> does), or one fitted setting — of the ff5 or the opto model (docs/model.md
/// §11: five more numbers per knot); an optional look-ahead; optional GRU
/// make-up gain weights; the plugin's name and URI base.
/// </summary>
public sealed class PluginModel
{
    /// <summary>Format tag on the first line.</summary>
    public const string Format = "newtone-lv2-model 1";

    /// <summary>Plugin name shown by hosts.</summary>
    public string Name { get; init; } = "Newtone LA-2A";

    /// <summary>URI base; the mono plugin is <c>&lt;uri&gt;#mono</c>, the stereo-linked one <c>&lt;uri&gt;#stereo</c>.</summary>
    public string Uri { get; init; } = "urn:newtone:la2a";

    /// <summary>Peak-reduction knots per mode (empty for a single-setting bundle).</summary>
    public Dictionary<La2aMode, List<(int PeakReduction, CompressorSettings Settings)>> Knots { get; init; } = [];

    /// <summary>
    /// The opto model's extras (docs/model.md §11) per mode, one per knot of <see cref="Knots"/> in the same order; empty for
    /// the ff5 model.
    /// </summary>
    public Dictionary<La2aMode, List<OptoSettings>> OptoKnots { get; init; } = [];

    /// <summary>The one setting of a single-run bundle (no Peak Reduction knob), or null.</summary>
    public CompressorSettings? Single { get; init; }

    /// <summary>The opto extras of a single-run bundle of the opto model, or null.</summary>
    public OptoSettings? SingleOpto { get; init; }

    /// <summary>True when the bundle runs the opto model.</summary>
    public bool IsOpto => SingleOpto is not null || OptoKnots.Count > 0;

    /// <summary>Look-ahead (ms), the same for every setting.</summary>
    public double LookAheadMs { get; init; }

    /// <summary>GRU make-up gain weights (PyTorch layout, <see cref="GruModel.Count"/> values), or null.</summary>
    public double[]? Gru { get; init; }

    /// <summary>Sample rate the GRU was trained at (Hz), when bundled.</summary>
    public int GruSampleRate { get; init; } = 44100;

    /// <summary>True when the bundle has a Peak Reduction knob.</summary>
    public bool HasPeakReduction => Single is null;

    /// <summary>True when both modes are present (a Mode control).</summary>
    public bool HasMode => Single is null && Knots.Count == 2;

    /// <summary>The published LA-2A fits, both modes.</summary>
    public static PluginModel Published() => new()
    {
        Knots = new()
        {
            [La2aMode.Compress] = PublishedSettings.PeakReductions.Select(p => (p, PublishedSettings.At(La2aMode.Compress, p))).ToList(),
            [La2aMode.Limit] = PublishedSettings.PeakReductions.Select(p => (p, PublishedSettings.At(La2aMode.Limit, p))).ToList(),
        },
    };

    /// <summary>Writes the model file.</summary>
    public string Serialize()
    {
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(Format).Append('\n');
        sb.Append("name ").Append(Name.Replace('\n', ' ')).Append('\n');
        sb.Append("uri ").Append(Uri).Append('\n');
        sb.Append("lookahead_ms ").Append(LookAheadMs.ToString("R", ic)).Append('\n');
        if (Single is { } one) sb.Append("single ").Append(Row(one)).Append(SingleOpto is { } so ? " " + Row(so) : "").Append('\n');
        foreach (var (mode, knots) in Knots.OrderBy(k => k.Key))
        {
            var opto = OptoKnots.GetValueOrDefault(mode);
            for (int i = 0; i < knots.Count; i++)
            {
                var (p, s) = knots[i];
                sb.Append("knot ").Append(mode.Name()).Append(' ').Append(p.ToString(ic)).Append(' ').Append(Row(s));
                if (opto is not null) sb.Append(' ').Append(Row(opto[i]));
                sb.Append('\n');
            }
        }
        if (Gru is { } g)
        {
            sb.Append("gru_sample_rate ").Append(GruSampleRate.ToString(ic)).Append('\n');
            sb.Append("gru ").Append(string.Join(' ', g.Select(v => v.ToString("R", ic)))).Append('\n');
        }
        return sb.ToString();
    }

    private static string Row(CompressorSettings s) => string.Join(' ',
        new[] { s.ThresholdDb, s.Ratio, s.AttackMs, s.ReleaseMs, s.MakeUpDb }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static string Row(OptoSettings o) => string.Join(' ',
        new[] { o.KneeDb, o.SlowShare, o.ChargeMs, o.SlowReleaseMs, o.Emphasis }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Reads a model file; throws <see cref="FormatException"/> naming the line on anything unexpected.</summary>
    public static PluginModel Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0].Trim() != Format) throw new FormatException($"not a Newtone plugin model (first line must be '{Format}')");
        string name = "Newtone LA-2A", uri = "urn:newtone:la2a";
        double lookAhead = 0;
        CompressorSettings? single = null;
        OptoSettings? singleOpto = null;
        var optoKnots = new Dictionary<La2aMode, List<OptoSettings>>();
        double[]? gru = null;
        int gruRate = 44100;
        var knots = new Dictionary<La2aMode, List<(int, CompressorSettings)>>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int sp = line.IndexOf(' ');
            string key = sp < 0 ? line : line[..sp], rest = sp < 0 ? "" : line[(sp + 1)..];
            var f = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                switch (key)
                {
                    case "name": name = rest; break;
                    case "uri": uri = rest; break;
                    case "lookahead_ms": lookAhead = D(f[0]); break;
                    case "single":
                        single = Settings(f, 0);
                        singleOpto = f.Length >= 10 ? Opto(f, 5) : null;
                        break;
                    case "knot":
                        var mode = La2aModes.Parse(f[0]) ?? throw new FormatException($"unknown mode '{f[0]}'");
                        if (!knots.TryGetValue(mode, out var list)) knots[mode] = list = [];
                        list.Add((int.Parse(f[1], CultureInfo.InvariantCulture), Settings(f, 2)));
                        if (f.Length >= 12)
                        {
                            if (!optoKnots.TryGetValue(mode, out var ol)) optoKnots[mode] = ol = [];
                            ol.Add(Opto(f, 7));
                        }
                        break;
                    case "gru_sample_rate": gruRate = int.Parse(f[0], CultureInfo.InvariantCulture); break;
                    case "gru":
                        if (f.Length != GruModel.Count) throw new FormatException($"the GRU has {GruModel.Count} weights, not {f.Length}");
                        gru = f.Select(D).ToArray();
                        break;
                    default: throw new FormatException($"unknown key '{key}'");
                }
            }
            catch (Exception e) when (e is IndexOutOfRangeException or OverflowException or FormatException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"line {i + 1}: {e.Message}");
            }
        }
        if (single is null && knots.Count == 0) throw new FormatException("neither a single setting nor peak-reduction knots");
        if (knots.Values.Any(k => k.Count < 2)) throw new FormatException("a mode needs at least two peak-reduction knots");
        if (optoKnots.Count > 0 && (optoKnots.Count != knots.Count || knots.Any(k => !optoKnots.TryGetValue(k.Key, out var o) || o.Count != k.Value.Count)))
            throw new FormatException("either every knot or none carries the opto model's five extras");
        return new PluginModel
        {
            Name = name, Uri = uri, LookAheadMs = lookAhead, Single = single, SingleOpto = singleOpto, Knots = knots, OptoKnots = optoKnots,
            Gru = gru, GruSampleRate = gruRate,
        };
    }

    private static double D(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : throw new FormatException($"'{s}' is not a number");

    private static CompressorSettings Settings(string[] f, int at) => new(D(f[at]), D(f[at + 1]), D(f[at + 2]), D(f[at + 3]), D(f[at + 4]));

    private static OptoSettings Opto(string[] f, int at) => new(D(f[at]), D(f[at + 1]), D(f[at + 2]), D(f[at + 3]), D(f[at + 4]));

    /// <summary>The ports of the mono (1 channel) or stereo-linked (2 channels) plugin of this model, in index order.</summary>
    public IReadOnlyList<PluginPort> Ports(int channels)
    {
        var ports = new List<PluginPort>();
        string[] side = channels == 1 ? [""] : ["_l", "_r"];
        string[] label = channels == 1 ? [""] : [" L", " R"];
        for (int c = 0; c < channels; c++) ports.Add(new PluginPort(ports.Count, PortKind.AudioIn, "in" + side[c], "In" + label[c]));
        for (int c = 0; c < channels; c++) ports.Add(new PluginPort(ports.Count, PortKind.AudioOut, "out" + side[c], "Out" + label[c]));
        ports.Add(new PluginPort(ports.Count, PortKind.ControlIn, "gain", "Gain", -24, 24, 0, "db"));
        if (HasPeakReduction)
        {
            int lo = Knots.Values.Max(k => k.Min(x => x.PeakReduction)), hi = Knots.Values.Min(k => k.Max(x => x.PeakReduction));
            ports.Add(new PluginPort(ports.Count, PortKind.ControlIn, "peak_reduction", "Peak Reduction", lo, hi, Math.Clamp(60, lo, hi), null));
        }
        if (HasMode) ports.Add(new PluginPort(ports.Count, PortKind.ControlIn, "mode", "Mode", 0, 1, 0, null, Enumeration: true));
        if (Gru is not null) ports.Add(new PluginPort(ports.Count, PortKind.ControlIn, "gru", "GRU make-up gain", 0, 1, 1, null, Toggle: true));
        if (LookAheadMs > 0) ports.Add(new PluginPort(ports.Count, PortKind.ControlOut, "latency", "Latency", 0, int.MaxValue, 0, "frame", Latency: true));
        return ports;
    }
}
