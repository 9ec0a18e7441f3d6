using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace RaServer.Api;

/// <summary>
/// Binds every gRPC service the way grpc-dotnet's own binder does (the generated BindService method, each RPC to the
/// service's override), except that each request marshaller is <see cref="UnreadableRequests.Tolerant{TRequest,TResponse}"/>.
/// Registered in place of the default provider, so it covers every mapped service, health and reflection included.
/// </summary>
internal sealed class WellFormedMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        var bind = attribute?.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [var binder, var impl]
                && binder.ParameterType == typeof(ServiceBinderBase) && impl.ParameterType.IsAssignableFrom(typeof(TService)));
        bind?.Invoke(null, [new Binder(context), null]);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(UnreadableRequests.Tolerant(method), Metadata(method.Name, out var target),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(target, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(UnreadableRequests.Tolerant(method), Metadata(method.Name, out var target),
                Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(target, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(UnreadableRequests.Tolerant(method), Metadata(method.Name, out var target),
                Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(target, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(UnreadableRequests.Tolerant(method), Metadata(method.Name, out var target),
                Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(target, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        private static List<object> Metadata(string name, out string target)
        {
            target = name;
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            // As grpc-dotnet's binder: gRPC is POST only, and a CORS preflight reaches the CORS middleware.
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return metadata;
        }

        /// <summary>The service's public method for the RPC (its override, or the generated UNIMPLEMENTED one).</summary>
        private static TDelegate Invoker<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            var method = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}");
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), method);
        }
    }
}
