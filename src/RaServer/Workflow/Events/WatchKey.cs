namespace RaServer.Workflow;

/// <summary>
/// What a watcher waits on: one application, or every application of one applicant. The fan-out turns each new event
/// into the keys it concerns, so an event wakes only its own watchers, not all ten thousand.
/// </summary>
public readonly record struct WatchKey(WatchKeyKind Kind, string Value)
{
    public static WatchKey Application(Guid id) => new(WatchKeyKind.Application, id.ToString("D"));
    public static WatchKey ApplicantUbn(string ubn) => new(WatchKeyKind.ApplicantUbn, ubn);
    public static WatchKey ApplicantNationalId(string nationalId) => new(WatchKeyKind.ApplicantNationalId, nationalId);
}

public enum WatchKeyKind
{
    Application,
    ApplicantUbn,
    ApplicantNationalId,
}
