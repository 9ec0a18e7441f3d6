namespace RaBench.Load;

/// <summary>
/// A client-side workload, run in the load process: <see cref="PrepareAsync"/> does everything that must not be on
/// the clock (channels, signed envelopes, CSRs); <see cref="OperationAsync"/> is one measured operation and throws
/// when the answer is not the expected one.
/// </summary>
public interface ILoadWorkload : IAsyncDisposable
{
    Task PrepareAsync(LoadJob job, CancellationToken ct);

    /// <param name="n">A global operation number, unique across the in-flight loops of one loop run.</param>
    Task OperationAsync(long n);
}

/// <summary>
/// A workload that makes no calls on the clock but watches what the parent makes happen (events it writes): after GO
/// it observes until it has seen everything it expects or gives up, and reports latencies per observed item.
/// </summary>
public interface IObservingWorkload : ILoadWorkload
{
    /// <returns>The latencies as a result (a missing or duplicated item counts as a failure), and what was checked, in words.</returns>
    Task<(LoadResult Result, string Detail)> ObserveAsync();
}
