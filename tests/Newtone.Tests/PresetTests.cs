using System.Globalization;

namespace Newtone.Tests;

/// <summary>The built-in presets against the published tables in ../shared/reference.</summary>
public class PresetTests
{
    private static List<(int Peak, CompressorSettings S)> ReadTable(string file) =>
        File.ReadAllLines(SharedData.Path2("reference", file)).Skip(2).Where(l => l.Length > 0).Select(l =>
        {
            var c = l.Split(',');
            double D(int i) => double.Parse(c[i], CultureInfo.InvariantCulture);
            return (int.Parse(c[0], CultureInfo.InvariantCulture), new CompressorSettings(D(4), D(5), D(6), D(7), D(8)));
        }).ToList();

    [SharedFact]
    public void EveryKnotEqualsThePublishedRow()
    {
        foreach (var (mode, file) in new[] { (La2aMode.Compress, "comp.csv"), (La2aMode.Limit, "limit.csv") })
        {
            var table = ReadTable(file);
            Assert.Equal(13, table.Count);
            var presets = La2aPresets.Published(mode);
            foreach (var (peak, s) in table)
            {
                Assert.Equal(s, PublishedSettings.At(mode, peak));
                var p = presets.At(peak).Settings;
                Assert.Equal(s.ThresholdDb, p.ThresholdDb, 10);
                Assert.Equal(s.Ratio, p.Ratio, 10);
                Assert.Equal(s.AttackMs, p.AttackMs, 10);
                Assert.Equal(s.ReleaseMs, p.ReleaseMs, 10);
                Assert.Equal(s.MakeUpDb, p.MakeUpDb, 10);
            }
        }
    }

    [Fact]
    public void PresetsCoverFortyToAHundredOnly()
    {
        var presets = La2aPresets.Published(La2aMode.Limit);
        Assert.Equal(PublishedSettings.At(La2aMode.Limit, 75), presets.At(75).Settings);
        var mid = presets.At(77.5).Settings;
        Assert.InRange(mid.ThresholdDb, -24.1, -22.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => presets.At(39.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => presets.At(100.1));
    }
}
