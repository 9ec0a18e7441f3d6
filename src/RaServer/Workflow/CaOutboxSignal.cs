namespace RaServer.Workflow;

/// <summary>
/// "A CA request was just committed to the outbox": the CA dispatcher's workers wait on it as well as on their poll
/// interval, so a request is sent at once instead of at the next poll. A commit on this replica raises it through
/// <see cref="Storage.CommittedChanges.CaRequestsQueued"/>, after the commit, so a woken worker always finds the row;
/// the other replicas hear of it through <see cref="QueuedHere"/> (announced with a NOTIFY; their listener calls
/// <see cref="WakeWorkers"/>).
/// </summary>
public sealed class CaOutboxSignal
{
    public CaOutboxSignal(Storage.CommittedChanges committed) => committed.CaRequestsQueued += RequestQueued;

    // One pending wake-up per worker is enough; CaDispatch:Concurrency is at most 100.
    private const int MaxPending = 100;
    private readonly SemaphoreSlim _pending = new(0, MaxPending);

    /// <summary>A request committed on this replica: for the replicas that announce it to the others.</summary>
    public event Action? QueuedHere;

    /// <summary>A request was committed on this replica: wake its workers and let the others know.</summary>
    private void RequestQueued()
    {
        WakeWorkers();
        QueuedHere?.Invoke();
    }

    /// <summary>A request was committed somewhere (another replica announced it): wake this replica's workers.</summary>
    public void WakeWorkers()
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
