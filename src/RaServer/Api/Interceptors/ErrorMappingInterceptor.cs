using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RaServer.Storage;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// The one place where domain errors become gRPC statuses (boulder's errors → grpc mapping).
/// A <see cref="RaException"/> becomes its code with google.rpc.ErrorInfo (the machine-readable reason)
/// and google.rpc.BadRequest (field violations), and leaves an audit row. Anything unexpected becomes
/// INTERNAL with no detail: internals are logged, never sent to callers. The database failing the call is the one
/// exception: UNAVAILABLE with reason DATABASE_UNAVAILABLE, so that clients retry.
/// </summary>
public sealed partial class ErrorMappingInterceptor(IAuditLog audit, ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public const string ErrorDomain = "ra.customs.gov.tw";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (Exception e) when (e is not RpcException) { throw await MapAsync(e, context); }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(requestStream, context); }
        catch (Exception e) when (e is not RpcException) { throw await MapAsync(e, context); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (Exception e) when (e is not RpcException) { throw await MapAsync(e, context); }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(requestStream, responseStream, context); }
        catch (Exception e) when (e is not RpcException) { throw await MapAsync(e, context); }
    }

    private async Task<RpcException> MapAsync(Exception e, ServerCallContext context)
    {
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled"));
        if (e is not RaException && StorageErrors.IsUnavailable(e))
        {
            // The database going away (restart, failover, network) is transient: UNAVAILABLE tells clients to
            // retry, where INTERNAL would tell them to give up. The driver's text names hosts and SQLSTATEs, so it
            // stays in the log; no audit row either, since the audit log lives in the database that is gone.
            LogDatabaseUnavailable(logger, e, context.Method);
            return DatabaseUnavailable();
        }
        if (e is not RaException ra)
        {
            LogUnexpected(logger, e, context.Method);
            return new RpcException(new Grpc.Core.Status(StatusCode.Internal, "internal error"));
        }

        await RecordRefusalAsync(ra, context);
        return ToRpcException(ra);
    }

    private async Task RecordRefusalAsync(RaException ra, ServerCallContext context)
    {
        try
        {
            await audit.RecordRefusalAsync(new RefusalRecord(
                CallerDescription.Of(context), context.Method, ra.Reason, ra.Message,
                ra.Fields.Select(f => f.Field).ToArray()), CancellationToken.None);
        }
        catch (Exception auditFailure)
        {
            // The audit log keeps a refusal the database did not take (journal and retry), so only an unexpected failure
            // of its own ends here: the caller still gets its precise refusal; the operator learns of the failure.
            LogAuditFailed(logger, auditFailure, context.Method, ra.Reason);
        }
    }

    private static RpcException DatabaseUnavailable()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.Unavailable,
            Message = "the RA's database is unavailable; retry later",
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = ServerReasons.DatabaseUnavailable, Domain = ErrorDomain }));
        return status.ToRpcException();
    }

    internal static RpcException ToRpcException(RaException ra)
    {
        var status = new Google.Rpc.Status { Code = (int)ToStatusCode(ra.Kind), Message = ra.Message };
        var info = new ErrorInfo { Reason = ra.Reason, Domain = ErrorDomain };
        foreach (var (key, value) in ra.Metadata)
            info.Metadata[key] = value;
        status.Details.Add(Any.Pack(info));
        if (ra.Fields.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(ra.Fields.Select(f =>
                new BadRequest.Types.FieldViolation { Field = f.Field, Description = f.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }
        return status.ToRpcException();
    }

    private static StatusCode ToStatusCode(RaErrorKind kind) => kind switch
    {
        RaErrorKind.Invalid => StatusCode.InvalidArgument,
        RaErrorKind.NotFound => StatusCode.NotFound,
        RaErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        RaErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        RaErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        RaErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        RaErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception e, string method);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "The database is unavailable to {Method}; answered UNAVAILABLE")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception e, string method);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Could not write the audit row for a refusal of {Method} ({Reason})")]
    private static partial void LogAuditFailed(ILogger logger, Exception e, string method, string reason);
}
