using System.Runtime.InteropServices;

namespace Newtone.Cli.Commands;

/// <summary>
/// Runs a command body and turns what can go wrong into one line on stderr and an exit code: bad input (a file, a
/// configuration key or a command-line value) 2; a fault of the machine (full disk, read-only folder, unreadable
/// file system) 1; Ctrl-C 130 and SIGTERM 143, after the unfinished work has removed its temporary files. Errors
/// from parallel work are unwrapped, so they read exactly as in serial code.
/// </summary>
internal static class CommandRunner
{
    public const int Ok = 0, BadInput = 2, Failed = 1, Cancelled = 130, Terminated = 143;

    public static int Run(Func<CancellationToken, int> body)
    {
        using var cts = new CancellationTokenSource();
        bool terminated = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, systemd, a CI timeout) is handled like Ctrl-C: cancel, let the work clean up, then exit 143.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            terminated = true;
            cts.Cancel();
        });
        try
        {
            return body(cts.Token);
        }
        catch (Exception e)
        {
            return Report(Unwrap(e), terminated);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The error a user should see: the first real one inside aggregate (parallel) and invocation wrappers.</summary>
    internal static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException a when a.InnerExceptions.Count > 0:
                    // Prefer a real error over the cancellations it caused in the other workers.
                    e = a.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? a.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    private static int Report(Exception e, bool terminated)
    {
        switch (e)
        {
            case InputException or ConfigException:
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return BadInput;
            case OperationCanceledException:
                Console.Error.WriteLine(terminated
                    ? "terminated (SIGTERM): nothing was written for the unfinished work"
                    : "cancelled: nothing was written for the unfinished work");
                return terminated ? Terminated : Cancelled;
            case IOException or UnauthorizedAccessException:
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return Failed;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                return Failed;
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
