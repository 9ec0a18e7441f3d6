using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Ra.Client;

/// <summary>
/// Opens a gRPC channel to the RA: TLS trusting one given CA (the RA's own, not the machine's store, so a
/// development RA works without installing its CA), and an optional mTLS client certificate for system roles.
/// </summary>
public static class RaChannel
{
    public static GrpcChannel Create(Uri server, X509Certificate2? serverCa = null, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions(),
        };
        if (serverCa is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 presented && ChainsTo(presented, serverCa, errors);
        if (clientCertificate is not null)
            handler.SslOptions.ClientCertificates = [clientCertificate];
        return GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static bool ChainsTo(X509Certificate2 presented, X509Certificate2 ca, SslPolicyErrors errors)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
