using System.Diagnostics;

namespace RaBench;

/// <summary>
/// Bounded load loops: every loop stops at its deadline or at its operation budget, whichever comes first, so a
/// slow machine makes a run shorter in count, never longer in time. A failed operation is counted, not retried, and
/// the first failure is kept for the report; the figures count successes only.
/// </summary>
public static class LoadRunner
{
    /// <summary>Async operations (gRPC calls, database work) from <paramref name="workers"/> concurrent loops.</summary>
    /// <param name="operation">Gets a global operation number, unique across workers.</param>
    public static async Task<LoadResult> RunAsync(string name, int workers, TimeSpan duration, long maxOperations, Func<long, Task> operation)
    {
        var counter = -1L;
        var deadline = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var tally = new Tally();
            long n;
            while (deadline.Elapsed < duration && (n = Interlocked.Increment(ref counter)) < maxOperations)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(n);
                    tally.Succeeded(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception e)
                {
                    tally.Failed(e);
                }
            }
            return tally;
        })).ToList();
        var tallies = await Task.WhenAll(loops);
        return Combine(name, workers, deadline.Elapsed, tallies);
    }

    /// <summary>Synchronous CPU work on <paramref name="threads"/> dedicated threads (no thread-pool scheduling in the figure).</summary>
    public static LoadResult RunThreads(string name, int threads, TimeSpan duration, long maxOperations, Action operation)
    {
        var counter = -1L;
        var tallies = new Tally[threads];
        var start = new Barrier(threads + 1);
        var deadline = new Stopwatch();
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            var tally = tallies[i] = new Tally();
            start.SignalAndWait();
            while (deadline.Elapsed < duration && Interlocked.Increment(ref counter) < maxOperations)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    operation();
                    tally.Succeeded(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception e)
                {
                    tally.Failed(e);
                }
            }
        }) { IsBackground = true }).ToList();
        workers.ForEach(t => t.Start());
        deadline.Start();
        start.SignalAndWait();
        workers.ForEach(t => t.Join());
        return Combine(name, threads, deadline.Elapsed, tallies);
    }

    private static LoadResult Combine(string name, int workers, TimeSpan elapsed, IReadOnlyList<Tally> tallies)
    {
        var latencies = tallies.SelectMany(t => t.LatenciesMs).ToArray();
        Array.Sort(latencies);
        return LoadResult.FromLatencies(name, workers, tallies.Sum(t => t.FailedCount), elapsed, latencies,
            tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null));
    }

    /// <summary>One worker's own counts, so the hot loop shares nothing but the operation counter.</summary>
    private sealed class Tally
    {
        public List<double> LatenciesMs { get; } = new(16_384);
        public long FailedCount { get; private set; }
        public string? FirstError { get; private set; }

        public void Succeeded(TimeSpan latency) => LatenciesMs.Add(latency.TotalMilliseconds);

        public void Failed(Exception e)
        {
            FailedCount++;
            FirstError ??= $"{e.GetType().Name}: {e.Message}";
        }
    }
}
