using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Per-service allow-list for system callers (boulder's grpc/interceptors.go). Denies by default: only the
/// services in <see cref="AuthOptions.OpenServices"/> (applicants' RegistrationAuthority, health, reflection)
/// pass without a certificate. Services listed in Auth:ServiceRoles need an mTLS client certificate matching an
/// Auth:Clients entry (issuing CA and full subject or key) with one of the service's roles. Any other service is
/// refused to everyone. No certificate → UNAUTHENTICATED; a certificate that is no allowed client, a role that may
/// not call the service, or a service nobody may call → PERMISSION_DENIED.
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
        if (AuthOptions.OpenServices.Contains(FullServiceNameOf(context.Method)))
            return;

        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new RaException(RaErrorKind.Unauthenticated, "CLIENT_CERT_REQUIRED",
                "this service requires an mTLS client certificate");
        var presented = validator.Validate(certificate);
        var (name, client) = FindClient(presented)
            ?? throw new RaException(RaErrorKind.PermissionDenied, "CLIENT_NOT_ALLOWED",
                $"no allowed client has the certificate '{presented.Subject}' from this issuer");
        var service = ServiceNameOf(context.Method);
        // A service nobody configured is closed, not open: forgetting the map must not publish a new service.
        if (!auth.ServiceRoles.TryGetValue(service, out var allowedRoles))
            throw new RaException(RaErrorKind.PermissionDenied, "SERVICE_NOT_ALLOWED",
                $"{service} is open to no role");
        if (!allowedRoles.Contains(client.Role, StringComparer.Ordinal))
            throw new RaException(RaErrorKind.PermissionDenied, "ROLE_NOT_ALLOWED",
                $"role '{client.Role}' may not call {service}");

        context.SetSystemCaller(new SystemCaller(name, client.Role, client.OfficeCode));
    }

    /// <summary>
    /// The entry pinned to this certificate: the same issuing CA, and the same full subject or the same key. The
    /// subject is compared whole, with no fallback to CN or O, so another body's certificate from the same CA with a
    /// look-alike name is no match. The validator refuses two entries with the same pins.
    /// </summary>
    private (string Name, SystemClientOptions Client)? FindClient(ValidatedClientCertificate presented)
    {
        foreach (var (name, client) in auth.Clients)
        {
            if (!ClientPins.SameHex(client.IssuerSpkiSha256, presented.IssuerSpkiSha256))
                continue;
            if (ClientPins.SameHex(client.SpkiSha256, presented.SpkiSha256)
                || ClientPins.NormalizedSubject(client.Subject) is { } subject && subject == presented.Subject)
                return (name, client);
        }
        return null;
    }

    /// <summary>"/customs.ra.v1.Registry/UpsertOperator" → "customs.ra.v1.Registry".</summary>
    internal static string FullServiceNameOf(string method) => method[1..method.IndexOf('/', 1)];

    /// <summary>"/customs.ra.v1.Registry/UpsertOperator" → "Registry".</summary>
    internal static string ServiceNameOf(string method)
    {
        var service = method.AsSpan(1, method.IndexOf('/', 1) - 1);
        var dot = service.LastIndexOf('.');
        return service[(dot + 1)..].ToString();
    }
}
