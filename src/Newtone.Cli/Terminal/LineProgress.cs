namespace Newtone.Cli.Terminal;

/// <summary>Writes each reported line to a writer (one line at a time, safe from parallel work).</summary>
internal sealed class LineProgress(TextWriter w) : IProgress<string>
{
    public void Report(string text)
    {
        lock (w) w.WriteLine(text);
    }
}
