using System.Runtime.CompilerServices;
using Grpc.Core;

namespace RaServer.Api;

/// <summary>
/// A request body that does not parse. grpc-dotnet deserializes before any interceptor runs and answers a
/// deserializer's exception with UNKNOWN and an error-level stack trace, with no audit row. The request marshaller
/// is wrapped instead (<see cref="WellFormedMethodProvider{TService}"/>): a body that does not parse becomes an empty
/// placeholder marked here, which <see cref="WellFormedRequestInterceptor"/> refuses after authorization, so the
/// refusal is an ordinary INVALID_ARGUMENT with its audit row.
/// </summary>
internal static class UnreadableRequests
{
    private static readonly ConditionalWeakTable<object, object> Placeholders = new();

    public static bool IsPlaceholder(object? request) => request is not null && Placeholders.TryGetValue(request, out _);

    public static Method<TRequest, TResponse> Tolerant<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var marshaller = Marshallers.Create(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (Exception)
            {
                // The body is bytes already in memory: whatever the parser throws, the bytes are not the message.
                var placeholder = Activator.CreateInstance<TRequest>();
                Placeholders.Add(placeholder, placeholder);
                return placeholder;
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }
}
