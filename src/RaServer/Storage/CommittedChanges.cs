namespace RaServer.Storage;

/// <summary>
/// What a commit left for others to act on, raised by <see cref="UnitOfWork.CommitAsync"/> after the commit, never
/// inside it, from what the unit of work's stores wrote. One home for "after commit", so no caller has to remember to
/// say it:
/// - <see cref="EventsWritten"/>: events wait for their numbers (the events area tells the sequencer; migration 0020
///   says why this is not a NOTIFY in the trigger);
/// - <see cref="CaRequestsQueued"/>: CA requests wait in the outbox (the dispatcher's workers start at once);
/// - <see cref="ApplicationChanged"/>: an application may have changed. The events fan-out raises it too, for what
///   other replicas committed. It is a hint for caches to drop what they hold early, not what keeps them true.
/// </summary>
public sealed class CommittedChanges
{
    public event Action? EventsWritten;
    public event Action? CaRequestsQueued;
    public event Action<Guid>? ApplicationChanged;

    /// <summary>For writers outside the server's units of work (the benchmark's transition driver).</summary>
    public void RaiseEventsWritten() => EventsWritten?.Invoke();

    internal void RaiseCaRequestsQueued() => CaRequestsQueued?.Invoke();

    public void RaiseApplicationChanged(Guid applicationId) => ApplicationChanged?.Invoke(applicationId);
}
