using System.Diagnostics;

namespace Newtone.Tests;

/// <summary>Runs a program to completion: no terminal, empty standard input, both outputs captured, 5 minutes at most.</summary>
internal static class Programs
{
    public static (int Exit, string Out, string Err) Run(string program, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Runs the real <c>newtone</c> executable (built beside the tests) as a user would.</summary>
internal static class Cli
{
    public static (int Exit, string Out, string Err) Run(string workingDirectory, params string[] args) =>
        Programs.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "newtone.dll"), .. args], workingDirectory);
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "newtone-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
