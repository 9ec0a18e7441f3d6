using Grpc.Core;

namespace RaServer.Api;

/// <summary>A system client authenticated by its mTLS certificate and found on the allow-list.</summary>
public sealed record SystemCaller(string Name, string Role, string? OfficeCode);

public static class CallerDescription
{
    private const string CallerKey = "ra.system-caller";
    private const string SignerKey = "ra.signer";

    public static void SetSystemCaller(this ServerCallContext context, SystemCaller caller) =>
        context.UserState[CallerKey] = caller;

    /// <summary>The authenticated system caller; the authorization interceptor guarantees one on mTLS services.</summary>
    public static SystemCaller GetSystemCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(CallerKey, out var caller) && caller is SystemCaller c
            ? c
            : throw new InvalidOperationException($"{context.Method} is not an mTLS service: no system caller");

    /// <summary>Records who signed the request, so refusals after the signature check name them in the audit log.</summary>
    public static void SetSignerDescription(this ServerCallContext context, string signer) =>
        context.UserState[SignerKey] = signer;

    /// <summary>A short description of the caller for the audit log.</summary>
    public static string Of(ServerCallContext context)
    {
        if (context.UserState.TryGetValue(CallerKey, out var caller) && caller is SystemCaller c)
            return $"client:{c.Name}";
        if (context.UserState.TryGetValue(SignerKey, out var signer) && signer is string s)
            return $"signer:{s}";
        return $"anonymous@{context.Peer}";
    }
}
