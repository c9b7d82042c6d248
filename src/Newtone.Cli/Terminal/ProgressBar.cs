using System.Diagnostics;
using System.Globalization;

namespace Newtone.Cli.Terminal;

/// <summary>
/// Progress with an ETA for long work: a bar redrawn in place in a terminal, a plain line every tenth
/// when the output is redirected.
/// </summary>
internal sealed class ProgressBar(string label, TextWriter output) : IProgress<WorkProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = output == Console.Out && !Console.IsOutputRedirected;
    private readonly object _lock = new();
    private int _lastTenth = -1;
    private long _lastDraw;

    public void Report(WorkProgress p) => Report(p.Done, p.Total);

    public void Report(long done, long total)
    {
        if (total <= 0) return;
        double f = Math.Clamp((double)done / total, 0, 1);
        double elapsed = _clock.Elapsed.TotalSeconds;
        double eta = f > 0 ? elapsed * (1 - f) / f : double.NaN;
        lock (_lock)
        {
            if (_interactive)
            {
                long now = _clock.ElapsedMilliseconds;
                if (now - _lastDraw < 100 && done < total) return;
                _lastDraw = now;
                int width = 30, filled = (int)(f * width);
                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {100 * f,5:F1} %  {elapsed,6:F1} s, ETA {Eta(eta)}   "));
                if (done >= total) output.WriteLine();
            }
            else
            {
                if (elapsed < 2) return;   // redirected: work that takes under 2 s needs no progress lines
                int tenth = (int)(f * 10);
                if (tenth <= _lastTenth) return;
                _lastTenth = tenth;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {100 * f:F0} % after {elapsed:F1} s, ETA {Eta(eta)}"));
            }
        }
    }

    private static string Eta(double s) => double.IsFinite(s) ? (s < 90 ? $"{s:F0} s" : $"{s / 60:F1} min") : "…";
}
