namespace Newtone.Study;

/// <summary>
/// A synchronous <see cref="IProgress{T}"/> forwarding each report to a delegate on the reporting thread
/// (<see cref="Progress{T}"/> would post to the thread pool and reorder reports).
/// </summary>
internal sealed class ProgressRelay<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
