using Grpc.Core;

namespace Ra.Client.Calls;

/// <summary>One field the RA found wrong (google.rpc.BadRequest.FieldViolation), by its path in the request.</summary>
public sealed record FieldProblem(string Field, string Description);

/// <summary>
/// The RA answered and said no: the status, the declared reason (the ErrorReason value name without its prefix, from
/// google.rpc.ErrorInfo) and the field problems. A refusal is never retried: the same request gets the same answer.
/// </summary>
public sealed class RaRefusedException(StatusCode status, string reason, string detail, IReadOnlyList<FieldProblem> fieldProblems, Uri address)
    : Exception($"{status} {reason}: {detail}")
{
    public StatusCode Status { get; } = status;

    /// <summary>The declared reason, e.g. "UBN_INVALID"; empty when the server sent none (a status of the transport).</summary>
    public string Reason { get; } = reason;

    /// <summary>The RA's own words (never a library's).</summary>
    public string Detail { get; } = detail;

    public IReadOnlyList<FieldProblem> FieldProblems { get; } = fieldProblems;

    /// <summary>The server that refused.</summary>
    public Uri Address { get; } = address;
}

/// <summary>No answer from the RA after every attempt the call policy allows: unreachable, unavailable, or too slow.</summary>
public sealed class RaUnreachableException(Uri address, int attempts, RpcException last, bool outcomeUnknown = false)
    : Exception(outcomeUnknown
        ? $"no answer from {address}: the request may have been carried out (read the current state before sending it again)"
        : $"no answer from {address} after {attempts} attempt(s): {last.StatusCode}", last)
{
    /// <summary>
    /// A call that cannot be repeated safely may have reached the RA before the answer was lost: read the state (the
    /// mandate, the broker's status) before sending it again.
    /// </summary>
    public bool OutcomeUnknown { get; } = outcomeUnknown;

    public Uri Address { get; } = address;
    public int Attempts { get; } = attempts;
    public RpcException Last { get; } = last;
}
