using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RaServer.Hosting;

public static class KestrelSetup
{
    /// <summary>
    /// HTTP/2 only (gRPC), TLS by default, client certificates asked for but not required: applicants
    /// authenticate by signing their requests, system callers by mTLS, and the authorization interceptor
    /// decides per service. Every certificate is let through the handshake so that a bad one is refused
    /// with a clear gRPC status instead of a dropped connection.
    /// </summary>
    public static WebApplicationBuilder AddRaKestrel(this WebApplicationBuilder builder)
    {
        // Read before the host is built, so checked here rather than at start with the other sections.
        var options = builder.Configuration.GetSection(ServerOptions.Section).GetValidated(new ServerOptionsValidator());
        var address = IPAddress.Parse(options.ListenAddress);
        X509Certificate2? serverCertificate = options.TlsEnabled ? LoadServerCertificate(options) : null;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.Http2MaxStreamsPerConnection;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (serverCertificate is null)
                    return;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });
        return builder;
    }

    private static X509Certificate2 LoadServerCertificate(ServerOptions options) =>
        X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
}
