using System.Net;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RaServer.Hosting;

namespace RaServer.Trust;

/// <summary>
/// Where the customs CA's CRL comes from and who must have signed it. Resolved on first use, because the embedded
/// CA's certificate lives in the database and its listener's port is known only once the server has started.
/// </summary>
public sealed class CustomsCaCrlSource
{
    private readonly Func<CancellationToken, Task<X509Certificate2>> _loadIssuer;
    private readonly Func<Uri> _findCrlUrl;
    private X509Certificate2? _issuer;
    private Uri? _crlUrl;

    private CustomsCaCrlSource(Func<CancellationToken, Task<X509Certificate2>> loadIssuer, Func<Uri> findCrlUrl)
    {
        _loadIssuer = loadIssuer;
        _findCrlUrl = findCrlUrl;
    }

    /// <summary>
    /// Ca:Mode=Cmp: the external CA's CRL URL and certificate, both configured (the options validator insists). No
    /// embedded CA runs then, and none is asked: its CRL says nothing of the external CA's certificates.
    /// </summary>
    public static CustomsCaCrlSource External(CaOptions options) =>
        new(_ => Task.FromResult(LoadIssuer(options.IssuerCertificatePath)), () => new Uri(options.CrlUrl));

    /// <summary>Ca:Mode=Embedded: what is configured, and the embedded CA of this process for whatever is not.</summary>
    public static CustomsCaCrlSource Embedded(CaOptions options, EmbeddedCertificateAuthority ca, EmbeddedCaOptions caOptions, IServer server) =>
        new(async ct => options.IssuerCertificatePath.Length > 0 ? LoadIssuer(options.IssuerCertificatePath) : (await ca.GetMaterialAsync(ct)).Issuing,
            () => options.CrlUrl.Length > 0 ? new Uri(options.CrlUrl) : new Uri(EmbeddedListener(caOptions, server), EmbeddedCaPaths.Crl));

    /// <summary>The certificate of the CA that issues the customs-dedicated certificates and signs their CRL.</summary>
    public async Task<X509Certificate2> IssuerAsync(CancellationToken ct) => _issuer ??= await _loadIssuer(ct);

    public Uri CrlUrl() => _crlUrl ??= _findCrlUrl();

    // A bundle's first certificate: the issuing CA is listed first, as in a chain file.
    private static X509Certificate2 LoadIssuer(string path) => CertificateFiles.Load(path).First();

    /// <summary>This process's CA listener, reached over loopback when it listens on every address.</summary>
    private static Uri EmbeddedListener(EmbeddedCaOptions ca, IServer server)
    {
        var address = IPAddress.Parse(ca.ListenAddress);
        var host = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        if (ca.HttpPort != 0)
            return new Uri($"http://{FormatHost(host)}:{ca.HttpPort}");

        // Port 0 (tests): the port the listener got. It is the one plain-HTTP address unless gRPC runs without TLS.
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
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
