namespace RaServer.Storage;

/// <summary>
/// Who asked for the change the current call commits, for the audit row a unit of work writes with every change of
/// an application (see <see cref="UnitOfWork.CommitAsync"/>). The API sets it per call; the actor is read at commit
/// time, so a signed request names its signer, which is known only once its signature was checked. Background work
/// (the CA dispatcher, the payment sweeper) has none and is recorded as the system.
/// </summary>
public sealed record AuditCaller(Func<string> Actor, string Rpc)
{
    private static readonly AsyncLocal<AuditCaller?> CurrentCall = new();

    public static readonly AuditCaller System = new(() => "system", "background");

    public static AuditCaller? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }
}
