namespace RaServer.Storage;

/// <summary>
/// "This application may have changed": raised after this replica's own commits that touched it, and by the events
/// fan-out for every application whose events another replica (or this one) committed and the sequencer numbered.
/// It is a hint for caches to drop what they hold early; it is not what keeps them true (see ApplicationAnswerCache).
/// </summary>
public sealed class ChangedApplications
{
    public event Action<Guid>? Changed;

    public void Raise(Guid applicationId) => Changed?.Invoke(applicationId);
}
