using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;

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
    /// <param name="embeddedCrlUrl">The embedded CA's CRL on this process's CA listener, known only once the server has started.</param>
    public static CustomsCaCrlSource Embedded(CaOptions options, EmbeddedCertificateAuthority ca, Func<Uri> embeddedCrlUrl) =>
        new(async ct => options.IssuerCertificatePath.Length > 0 ? LoadIssuer(options.IssuerCertificatePath) : (await ca.GetMaterialAsync(ct)).Issuing,
            () => options.CrlUrl.Length > 0 ? new Uri(options.CrlUrl) : embeddedCrlUrl());

    /// <summary>The certificate of the CA that issues the customs-dedicated certificates and signs their CRL.</summary>
    public async Task<X509Certificate2> IssuerAsync(CancellationToken ct) => _issuer ??= await _loadIssuer(ct);

    public Uri CrlUrl() => _crlUrl ??= _findCrlUrl();

    // A bundle's first certificate: the issuing CA is listed first, as in a chain file.
    private static X509Certificate2 LoadIssuer(string path) => CertificateFiles.Load(path).First();
}
