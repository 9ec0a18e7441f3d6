using Grpc.Core;
using Grpc.Core.Interceptors;
using RaServer.Storage;

namespace RaServer.Api;

/// <summary>Names the call's caller and RPC for the audit rows its changes write (<see cref="AuditCaller"/>).</summary>
public sealed class AuditCallerInterceptor : Interceptor
{
    private static void Name(ServerCallContext context) =>
        AuditCaller.Current = new AuditCaller(() => CallerDescription.Of(context), context.Method);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Name(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Name(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Name(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Name(context);
        return continuation(requestStream, responseStream, context);
    }
}
