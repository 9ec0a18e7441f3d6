using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Refuses a request whose form is wrong (<see cref="RequestForm"/>, <see cref="UnreadableRequests"/>) before the
/// service sees it; runs after authorization, inside the error mapping that writes the refusal's audit row. Each
/// message of a client stream is checked as it is read; a malformed one ends the call, and the records before it stay
/// as they were handled.
/// </summary>
public sealed class WellFormedRequestInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(request, null);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AnswersPerRecord.Contains(typeof(TRequest))
            ? continuation(requestStream, context)
            : continuation(new CheckedReader<TRequest>(requestStream), context);

    /// <summary>
    /// Client streams whose contract gives each message its own result (ImportRegistry): their service checks each
    /// message's form itself and rejects that record alone, so one bad record does not end the stream.
    /// </summary>
    private static readonly HashSet<Type> AnswersPerRecord = [typeof(Customs.Ra.V1.ImportRegistryRequest)];

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(request, null);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream), responseStream, context);

    private static void Ensure(object? request, long? streamIndex)
    {
        if (UnreadableRequests.IsPlaceholder(request))
        {
            var what = streamIndex is { } i ? $"message {i} of the stream" : "the request body";
            var type = request is IMessage m ? m.Descriptor.FullName : request!.GetType().Name;
            throw new RaException(RaErrorKind.Invalid, InputReasons.RequestMalformed, $"{what} is not a valid {type}",
                [new FieldProblem("", $"not a valid {type}")]);
        }
        if (request is IMessage message)
            RequestForm.EnsureWellFormed(message);
    }

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
    {
        private long index = -1;

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
                return false;
            Ensure(inner.Current, ++index);
            return true;
        }
    }
}
