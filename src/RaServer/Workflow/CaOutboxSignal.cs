namespace RaServer.Workflow;

/// <summary>
/// "A CA request was just committed to the outbox on this replica": the CA dispatcher's workers wait on it as well
/// as on their poll interval, so a request written here is sent at once instead of at the next poll. Other replicas
/// still find it by polling. Set only after the commit, so a woken worker always finds the row.
/// </summary>
public sealed class CaOutboxSignal
{
    // One pending wake-up per worker is enough; CaDispatch:Concurrency is at most 100.
    private const int MaxPending = 100;
    private readonly SemaphoreSlim _pending = new(0, MaxPending);

    public void RequestQueued()
    {
        if (_pending.CurrentCount < MaxPending)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread filled the last place: the wake-up it added is as good as this one.
            }
        }
    }

    /// <summary>Completes when a request was queued (consuming that wake-up), or throws when <paramref name="ct"/> is cancelled.</summary>
    public Task WaitAsync(CancellationToken ct) => _pending.WaitAsync(ct);
}
