using System.Net;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RaServer.Api;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Trust;

/// <summary>
/// Where the customs CA's CRL comes from and who must have signed it: the configured URL and certificate file, or,
/// for what is not configured, the embedded CA of this process. Resolved on first use, because the embedded CA's
/// certificate lives in the database and its listener's port is known only once the server has started.
/// </summary>
public sealed class CustomsCaCrlSource(
    CustomsCaCrlOptions options, EmbeddedCertificateAuthority? embeddedCa, EmbeddedCaOptions? embeddedCaOptions, IServer? server)
{
    private X509Certificate2? _issuer;
    private Uri? _crlUrl;

    /// <summary>False when neither a URL nor the embedded CA is there: then there is no customs CA CRL to keep.</summary>
    public bool IsConfigured =>
        (options.CrlUrl.Length > 0 || embeddedCaOptions is not null)
        && (options.IssuerCertificatePath.Length > 0 || embeddedCa is not null);

    public async Task<X509Certificate2> IssuerAsync(CancellationToken ct)
    {
        if (_issuer is not null)
            return _issuer;
        if (options.IssuerCertificatePath.Length > 0)
            // A bundle's first certificate: the issuing CA is listed first, as in a chain file.
            return _issuer = CertificateFiles.Load(options.IssuerCertificatePath).First();
        var embedded = embeddedCa ?? throw new InvalidOperationException("Ca:IssuerCertificatePath is empty and no embedded CA is running.");
        return _issuer = (await embedded.GetMaterialAsync(ct)).Issuing;
    }

    public Uri CrlUrl()
    {
        if (_crlUrl is not null)
            return _crlUrl;
        if (options.CrlUrl.Length > 0)
            return _crlUrl = new Uri(options.CrlUrl);
        var ca = embeddedCaOptions ?? throw new InvalidOperationException("Ca:CrlUrl is empty and no embedded CA is running.");
        return _crlUrl = new Uri(EmbeddedListener(ca), EmbeddedCaPaths.Crl);
    }

    /// <summary>This process's CA listener, reached over loopback when it listens on every address.</summary>
    private Uri EmbeddedListener(EmbeddedCaOptions ca)
    {
        var address = IPAddress.Parse(ca.ListenAddress);
        var host = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        if (ca.HttpPort != 0)
            return new Uri($"http://{FormatHost(host)}:{ca.HttpPort}");

        // Port 0 (tests): the port the listener got. It is the one plain-HTTP address unless gRPC runs without TLS.
        var bound = server?.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            .ToList() ?? [];
        if (bound.Count != 1)
            throw new InvalidOperationException(
                $"The embedded CA listens on a port picked at start and {bound.Count} plain-HTTP addresses are bound; set Ca:CrlUrl or EmbeddedCa:HttpPort.");
        return new Uri($"http://{FormatHost(host)}:{new Uri(bound[0]).Port}");
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
