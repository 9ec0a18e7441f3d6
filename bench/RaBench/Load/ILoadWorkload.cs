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
