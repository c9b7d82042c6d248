namespace Newtone.Study;

/// <summary>A control input of an LV2 plugin.</summary>
/// <param name="Index">Port index.</param>
/// <param name="Symbol">lv2:symbol, the name controls are set by.</param>
/// <param name="Name">The name hosts show.</param>
/// <param name="Minimum">lv2:minimum, when the plugin states one.</param>
/// <param name="Maximum">lv2:maximum, when the plugin states one.</param>
/// <param name="Default">lv2:default, when the plugin states one.</param>
public sealed record Lv2Control(int Index, string Symbol, string Name, double? Minimum, double? Maximum, double? Default)
{
    /// <summary>The value a fresh instance gets: the default, else the minimum, else 0.</summary>
    public double Initial => Default ?? Minimum ?? 0;

    /// <summary>True when <paramref name="value"/> lies within the stated range (a small tolerance for float rounding).</summary>
    public bool Accepts(double value)
    {
        double tol = 1e-6 * Math.Max(1, Math.Max(Math.Abs(Minimum ?? 0), Math.Abs(Maximum ?? 0)));
        return (Minimum is not { } lo || value >= lo - tol) && (Maximum is not { } hi || value <= hi + tol);
    }

    /// <summary>The range as text ("1…20", "≥ 0", "any").</summary>
    public string RangeText => (Minimum, Maximum) switch
    {
        ({ } lo, { } hi) => FormattableString.Invariant($"{lo:G6}…{hi:G6}"),
        ({ } lo, null) => FormattableString.Invariant($"≥ {lo:G6}"),
        (null, { } hi) => FormattableString.Invariant($"≤ {hi:G6}"),
        _ => "any",
    };
}
