using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Newtone.Cli.Terminal;

/// <summary>
/// Shows a fit's progress: a live table in a terminal (one row per Newton run), plain lines when the
/// output is redirected.
/// </summary>
internal sealed class FitProgress : IProgress<FitEvent>, IDisposable
{
    private readonly bool _live;
    private readonly bool _quiet;
    private readonly TextWriter _out;
    private readonly List<string> _messages = [];
    private readonly Dictionary<NewtonRun, IterationRecord> _rows = [];
    private readonly Table _table = new();
    private LiveDisplayContext? _ctx;
    private Task? _liveTask;
    private readonly TaskCompletionSource _done = new();
    private readonly ManualResetEventSlim _started = new();

    public FitProgress(bool quiet = false, TextWriter? output = null)
    {
        _quiet = quiet;
        _out = output ?? Console.Out;
        _live = output is null && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi && !quiet;
        if (_live)
        {
            _table.Border(TableBorder.Rounded);
            foreach (var h in new[] { "run", "stage", "it.", "loss", "λ", "t", "ESR %", "T dB", "R", "attack ms", "release ms", "M dB" })
                _table.AddColumn(new TableColumn(h).RightAligned());
            _liveTask = Task.Run(() => AnsiConsole.Live(Render()).AutoClear(false).Start(ctx =>
            {
                _ctx = ctx;
                _started.Set();
                _done.Task.Wait();
                ctx.UpdateTarget(Render());
                ctx.Refresh();
            }));
            _started.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private IRenderable Render()
    {
        lock (_rows)
        {
            _table.Rows.Clear();
            foreach (var (run, r) in _rows)
            {
                var s = r.Settings;
                _table.AddRow(Markup.Escape(run.Label), r.Stage, I(r.Iteration), G(r.Loss), G(r.Decrement), G(r.StepLength),
                    F(r.EsrPercent, "G4"), F(s.ThresholdDb, "F2"), F(s.Ratio, "F3"), F(s.AttackMs, "F3"), F(s.ReleaseMs, "F2"), F(s.MakeUpDb, "F3"));
            }
            var lines = _messages.TakeLast(12).Select(m => (IRenderable)new Text(m)).ToList();
            lines.Add(_table);
            return new Rows(lines);
        }
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    private static string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);

    public void Report(FitEvent e)
    {
        switch (e)
        {
            case FitMessage m: Message(m.Text); break;
            case FitIteration i: Iteration(i.Run, i.Record); break;
        }
    }

    private void Message(string text)
    {
        if (_live)
        {
            lock (_rows) _messages.Add(text);
            _ctx?.UpdateTarget(Render());
        }
        else
        {
            _out.WriteLine(text);
        }
    }

    private void Iteration(NewtonRun run, IterationRecord r)
    {
        if (_live)
        {
            lock (_rows) _rows[run] = r;
            _ctx?.UpdateTarget(Render());
            return;
        }
        if (_quiet) return;
        var s = r.Settings;
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{r.Stage} {run.Label}] it {r.Iteration,3}  loss {r.Loss:E4}  λ {r.Decrement:E2}  t {r.StepLength:G3} ({r.Tries} tries)  ESR {r.EsrPercent:F4} %  T {s.ThresholdDb:F2} dB  R {s.Ratio:F3}  attack {s.AttackMs:F3} ms  release {s.ReleaseMs:F2} ms  M {s.MakeUpDb:F3} dB{Extras(r.Opto)}{(r.Kind == StepKind.Damped ? "  (damped step)" : "")}"));
    }

    /// <summary>The opto model's extras on an iteration line (docs/model.md §11), or nothing for ff5.</summary>
    private static string Extras(OptoSettings? o) => o is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"  knee {o.KneeDb:F2} dB  share {o.SlowShare:F3}  charge {o.ChargeMs:F1} ms  slow release {o.SlowReleaseMs:F1} ms  emphasis {o.Emphasis:F3}");

    public void Dispose()
    {
        _done.TrySetResult();
        _liveTask?.Wait();
        _started.Dispose();
    }
}
