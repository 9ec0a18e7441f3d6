namespace RaServer.Domain;

/// <summary>The small set of ways a request can fail; one interceptor maps them to gRPC codes.</summary>
public enum RaErrorKind
{
    Invalid,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
}

/// <summary>One invalid field of a request, reported as google.rpc.BadRequest.FieldViolation.</summary>
public sealed record FieldProblem(string Field, string Description);

/// <summary>
/// The domain error. <see cref="Reason"/> is a stable UPPER_SNAKE_CASE code that clients branch on
/// (google.rpc.ErrorInfo.reason); <see cref="Message"/> is for people. Nothing else leaves the server.
/// </summary>
public sealed class RaException(
    RaErrorKind kind,
    string reason,
    string message,
    IReadOnlyList<FieldProblem>? fields = null,
    IReadOnlyDictionary<string, string>? metadata = null) : Exception(message)
{
    public RaErrorKind Kind { get; } = kind;
    public string Reason { get; } = reason;
    public IReadOnlyList<FieldProblem> Fields { get; } = fields ?? [];
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();

    public static RaException InvalidField(string reason, string field, string description) =>
        new(RaErrorKind.Invalid, reason, description, [new FieldProblem(field, description)]);
}
