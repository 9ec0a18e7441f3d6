using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Per-service allow-list for system callers (boulder's grpc/interceptors.go). Services listed in
/// Auth:ServiceRoles need an mTLS client certificate whose CN is an allowed client with one of the
/// service's roles: no certificate → UNAUTHENTICATED, a known client with the wrong role → PERMISSION_DENIED.
/// Other services (applicants' RegistrationAuthority, health, reflection) pass through.
/// </summary>
public sealed class CallerAuthorizationInterceptor(IOptions<AuthOptions> options, ClientCertificateValidator validator) : Interceptor
{
    private readonly AuthOptions auth = options.Value;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (!auth.ServiceRoles.TryGetValue(ServiceNameOf(context.Method), out var allowedRoles))
            return;

        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new RaException(RaErrorKind.Unauthenticated, "CLIENT_CERT_REQUIRED",
                "this service requires an mTLS client certificate");
        var name = validator.Validate(certificate);
        if (!auth.Clients.TryGetValue(name, out var client))
            throw new RaException(RaErrorKind.PermissionDenied, "CLIENT_NOT_ALLOWED",
                $"client '{name}' is not on the allow-list");
        if (!allowedRoles.Contains(client.Role, StringComparer.Ordinal))
            throw new RaException(RaErrorKind.PermissionDenied, "ROLE_NOT_ALLOWED",
                $"role '{client.Role}' may not call {ServiceNameOf(context.Method)}");

        context.SetSystemCaller(new SystemCaller(name, client.Role, client.OfficeCode));
    }

    /// <summary>"/customs.ra.v1.Registry/UpsertOperator" → "Registry".</summary>
    internal static string ServiceNameOf(string method)
    {
        var service = method.AsSpan(1, method.IndexOf('/', 1) - 1);
        var dot = service.LastIndexOf('.');
        return service[(dot + 1)..].ToString();
    }
}
