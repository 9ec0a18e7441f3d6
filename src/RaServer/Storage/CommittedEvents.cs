namespace RaServer.Storage;

/// <summary>
/// "A unit of work that changed an application's state has just committed": its events now wait for their numbers.
/// Raised by <see cref="UnitOfWork.CommitAsync"/> after the commit, never inside it; the events area listens and
/// tells the sequencer (see migration 0020 for why this is not a NOTIFY in the trigger).
/// </summary>
public sealed class CommittedEvents
{
    public event Action? Committed;

    internal void Raise() => Committed?.Invoke();
}
