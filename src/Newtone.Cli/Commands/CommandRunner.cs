
namespace Newtone.Cli.Commands;

/// <summary>Runs a command body and turns the errors a user can fix into one line and an exit code.</summary>
internal static class CommandRunner
{
    public const int Ok = 0, BadInput = 2, Failed = 1, Cancelled = 130;

    public static int Run(Func<CancellationToken, int> body)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return body(cts.Token);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: nothing was written for the unfinished work");
            return Cancelled;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
