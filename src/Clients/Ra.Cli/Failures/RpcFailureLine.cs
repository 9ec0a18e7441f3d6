using System.Net.Sockets;
using System.Security.Authentication;
using Google.Rpc;
using Grpc.Core;
using Ra.Client.Calls;

namespace Ra.Cli.Failures;

/// <summary>
/// The one place a failed call becomes the line a person reads: the gRPC status, the RA's declared reason
/// (google.rpc.ErrorInfo), its field problems (google.rpc.BadRequest) and the address tried, or, when the call
/// never got an answer, why the server could not be reached. The SDK's RaRefusedException and
/// RaUnreachableException come out in the same words.
/// </summary>
public static class RpcFailureLine
{
    public static (int ExitCode, string Line) Describe(RpcException e, string address)
    {
        if (Unanswered(e, address) is { } unreachable)
            return (ExitCodes.Unreachable, unreachable);
        var status = e.GetRpcStatus();
        var violations = status?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        return Refused(address, e.StatusCode, status?.GetDetail<ErrorInfo>()?.Reason, e.Status.Detail,
            violations.Select(v => (v.Field, v.Description)));
    }

    /// <summary>The SDK's refusal (an answer of the RA), in the same words as a refusal of a direct call.</summary>
    public static (int ExitCode, string Line) Describe(RaRefusedException e) =>
        Refused(e.Address.GetLeftPart(UriPartial.Authority), e.Status, e.Reason, e.Detail, e.FieldProblems.Select(p => (p.Field, p.Description)));

    /// <summary>The SDK gave up after its attempts: the last unanswered attempt says why.</summary>
    public static (int ExitCode, string Line) Describe(RaUnreachableException e)
    {
        var address = e.Address.GetLeftPart(UriPartial.Authority);
        return (ExitCodes.Unreachable, Unanswered(e.Last, address) ?? $"cannot reach {address}: {CodeName(e.Last.StatusCode)}");
    }

    private static (int ExitCode, string Line) Refused(
        string address, StatusCode code, string? reason, string? detail, IEnumerable<(string Field, string Description)> violations)
    {
        var line = $"refused by {address}: {CodeName(code)}";
        if (!string.IsNullOrEmpty(reason))
            line += $" {reason}";
        if (!string.IsNullOrWhiteSpace(detail))
            line += $": {detail}";
        var problems = violations.ToList();
        if (problems.Count > 0)
            line += " [" + string.Join("; ", problems.Select(v => $"{v.Field}: {v.Description}")) + "]";
        return (ExitCodes.Refused, OneLine.Of(line));
    }

    /// <summary>A call that no server answered: refused connection, unknown host, TLS not trusted, timeout.</summary>
    private static string? Unanswered(RpcException e, string address)
    {
        if (e.StatusCode == StatusCode.DeadlineExceeded)
            return $"no answer from {address} in time (--timeout)";
        // A status the client made itself (the server never answered) carries the exception behind it; one the RA
        // sent does not. TLS failures come as INTERNAL, refused connections as UNAVAILABLE.
        if (e.Status.DebugException is not { } cause)
            return null;
        for (var inner = cause; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return $"cannot reach {address}: " + socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused (is the server running on that port?)",
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
                        SocketError.TimedOut => "connection timed out",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                        _ => OneLine.Of(socket.Message),
                    };
                case AuthenticationException:
                    return $"cannot reach {address} securely: the TLS handshake failed (is --trust the RA's TLS CA, "
                        + "and does the server's name match the URL?)";
            }
        }
        return $"cannot reach {address}: {OneLine.Of(cause.InnerException?.Message ?? cause.Message)}";
    }

    /// <summary>The canonical upper-case name (INVALID_ARGUMENT), as the gRPC documentation and the RA's docs write it.</summary>
    private static string CodeName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
    };
}
