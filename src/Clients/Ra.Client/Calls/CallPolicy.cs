using Google.Rpc;
using Grpc.Core;
using Polly;
using Polly.Retry;

namespace Ra.Client.Calls;

/// <summary>
/// How every call of the SDK is made: a deadline per attempt, and another attempt only when the RA did not answer
/// (UNAVAILABLE, or DEADLINE_EXCEEDED of one attempt), with a growing pause. Almost every RA call is safe to repeat:
/// signed calls carry a request id the RA replays its first answer for (the same id and bytes), most mTLS calls are
/// idempotent by their keys (slip and receipt, registry keys, the paper intake's request id). The few that are not
/// (ending a mandate, a disqualification: a repeat is refused or recorded twice) are repeated only when the attempt
/// never reached the server (the connection could not be opened); otherwise their outcome is unknown and
/// <see cref="RaUnreachableException.OutcomeUnknown"/> says so. An answer with any other status is a refusal and is
/// raised at once as <see cref="RaRefusedException"/>.
/// </summary>
/// <remarks>
/// Polly rather than the gRPC channel's retry policy: that policy's deadline covers all attempts together, so it
/// cannot retry an attempt that ran out of time, it retries only before response headers arrive, and it cannot tell a
/// repeatable call from one that is not.
/// </remarks>
public sealed record CallPolicy
{
    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The pause after the first failed attempt; doubled after each further one, up to <see cref="MaxPause"/>.</summary>
    public TimeSpan FirstPause { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(3);

    public static CallPolicy Default { get; } = new();

    /// <summary>Runs <paramref name="call"/> (given the attempt's deadline) until it answers or the attempts are spent.</summary>
    /// <param name="repeatable">False for a call the RA would refuse or record twice if it came again.</param>
    public async Task<T> RunAsync<T>(Uri address, Func<DateTime, CancellationToken, Task<T>> call, CancellationToken ct, bool repeatable = true)
    {
        var attempts = 0;
        var builder = new ResiliencePipelineBuilder<T>();
        if (MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RpcException e
                    && IsUnanswered(e, args.Context.CancellationToken) && (repeatable || NeverSent(e))),
                MaxRetryAttempts = MaxAttempts - 1,
                Delay = FirstPause,
                MaxDelay = MaxPause,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        var pipeline = builder.Build();
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await call(DateTime.UtcNow + AttemptTimeout, token);
            }, ct);
        }
        catch (RpcException e) when (IsUnanswered(e, ct))
        {
            throw new RaUnreachableException(address, attempts, e, outcomeUnknown: !repeatable && !NeverSent(e));
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            throw Refusal(e, address);
        }
    }

    /// <summary>Whether no answer came: the call may be sent again. A cancellation by the caller is not.</summary>
    public static bool IsUnanswered(RpcException e, CancellationToken ct) =>
        !ct.IsCancellationRequested && (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            // The client's own status for a call cut before any answer (a TLS failure, a reset stream) is INTERNAL
            // with the exception behind it; a status the RA sent never carries one.
            || (e.StatusCode == StatusCode.Internal && e.Status.DebugException is not null));

    /// <summary>Whether the attempt failed before a connection to the server existed, so the server cannot have seen it.</summary>
    private static bool NeverSent(RpcException e)
    {
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused
                or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NetworkUnreachable
                or System.Net.Sockets.SocketError.HostUnreachable })
                return true;
        return false;
    }

    /// <summary>The RA's refusal with its declared reason and field problems.</summary>
    public static RaRefusedException Refusal(RpcException e, Uri address)
    {
        var status = e.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason ?? "";
        var problems = status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => new FieldProblem(v.Field, v.Description)).ToList() ?? [];
        return new RaRefusedException(e.StatusCode, reason, e.Status.Detail, problems, address);
    }
}
