using System.Collections.Concurrent;
using Newtone.Study;

namespace Newtone.Tests;

/// <summary>The GRU batch's worker threads: every part of a job once, at the same time, errors out, idle workers ending.</summary>
public class WakefulWorkersTests
{
    [Fact]
    public void EveryIndexRunsOnceOnItsOwnThreadInEveryJob()
    {
        var workers = new WakefulWorkers();
        for (int job = 0; job < 400; job++)
        {
            int threads = 1 + job % 4;
            var seen = new ConcurrentDictionary<int, int>();
            var ids = new ConcurrentBag<int>();
            workers.Run(threads, i =>
            {
                seen.AddOrUpdate(i, 1, (_, n) => n + 1);
                ids.Add(Environment.CurrentManagedThreadId);
            });
            Assert.Equal(Enumerable.Range(0, threads), seen.Keys.Order());
            Assert.All(seen.Values, n => Assert.Equal(1, n));
            Assert.Equal(threads, ids.Distinct().Count());
        }
    }

    [Fact]
    public void ThePartsRunAtTheSameTime()
    {
        // Each part waits for the other: run one after the other, this would time out instead.
        var workers = new WakefulWorkers();
        for (int job = 0; job < 20; job++)
        {
            using var barrier = new Barrier(2);
            bool met0 = false, met1 = false;
            workers.Run(2, i =>
            {
                bool met = barrier.SignalAndWait(TimeSpan.FromSeconds(10));
                if (i == 0) met0 = met;
                else met1 = met;
            });
            Assert.True(met0 && met1, $"job {job}: the two parts did not meet");
        }
    }

    [Fact]
    public void AWorkersExceptionComesOutOfRunAsThrownAndTheNextJobRuns()
    {
        var workers = new WakefulWorkers();
        var e = Assert.Throws<InvalidOperationException>(() => workers.Run(2, i =>
        {
            if (i == 1) throw new InvalidOperationException("part 1 failed");
        }));
        Assert.Equal("part 1 failed", e.Message);
        var e0 = Assert.Throws<ArgumentException>(() => workers.Run(2, i =>
        {
            if (i == 0) throw new ArgumentException("part 0 failed");
        }));
        Assert.Equal("part 0 failed", e0.Message);
        int count = 0;
        workers.Run(2, _ => Interlocked.Increment(ref count));
        Assert.Equal(2, count);
    }

    [Fact]
    public void IdleWorkersEndAndANewJobStartsThemAgain()
    {
        var workers = new WakefulWorkers(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50));
        int count = 0;
        workers.Run(3, _ => Interlocked.Increment(ref count));
        Assert.Equal(3, count);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (workers.Alive > 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
        Assert.Equal(0, workers.Alive);
        workers.Run(3, _ => Interlocked.Increment(ref count));
        Assert.Equal(6, count);
        // Jobs for fewer threads keep the workers they use and let the others end.
        clock.Restart();
        while (workers.Alive > 1 && clock.Elapsed < TimeSpan.FromSeconds(20)) workers.Run(2, _ => Interlocked.Increment(ref count));
        Assert.Equal(1, workers.Alive);
        workers.Run(3, _ => Interlocked.Increment(ref count));
        Assert.Equal(2, workers.Alive);
    }
}
