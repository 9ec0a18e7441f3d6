using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>
/// How to reach and trust the CA's CMP endpoint (docs/CMP.md). Either certificate objects or PEM file paths may be given;
/// objects win. Signature protection with the RA's certificate is the default; a shared secret switches both
/// directions to password-based MAC (PBM), for CAs set up that way.
/// </summary>
public sealed class CmpOptions
{
    /// <summary>The CA's base address, scheme, host and port only, e.g. "http://ca.internal:8080".</summary>
    public Uri? ServerUri { get; set; }

    /// <summary>
    /// Path of the CMP endpoint on <see cref="ServerUri"/>. RFC 9811's well-known path by default; EJBCA uses
    /// "/ejbca/publicweb/cmp/&lt;alias&gt;", the openssl mock only "/" and "/pkix/".
    /// </summary>
    public string Path { get; set; } = "/.well-known/cmp";

    /// <summary>The RA's CMP signing certificate with its private key; it protects every request.</summary>
    public X509Certificate2? RaCertificate { get; set; }

    /// <summary>PEM file of the RA's certificate, read when <see cref="RaCertificate"/> is not set.</summary>
    public string? RaCertificatePath { get; set; }

    /// <summary>PEM file of the RA's private key (unencrypted PKCS#8 or traditional), paired with <see cref="RaCertificatePath"/>.</summary>
    public string? RaKeyPath { get; set; }

    /// <summary>
    /// Certificates sent after the RA's own in extraCerts (its issuing CAs), so the CA can build the RA's chain.
    /// </summary>
    public IList<X509Certificate2> RaChain { get; } = [];

    /// <summary>
    /// The certificate whose key protects the CA's answers. Answers are verified against exactly this key, not
    /// against a chain, so a CA key change is a configuration change made on purpose.
    /// </summary>
    public X509Certificate2? CaServerCertificate { get; set; }

    /// <summary>PEM file of <see cref="CaServerCertificate"/>, read when the object is not set.</summary>
    public string? CaServerCertificatePath { get; set; }

    /// <summary>Shared secret for MAC protection (PBM); when set it replaces signatures in both directions.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>The reference (senderKID) the CA filed <see cref="SharedSecret"/> under; required with it.</summary>
    public string? SharedSecretReference { get; set; }

    /// <summary>
    /// How long an issue may wait on a CA that answers "waiting", from the first poll to the last. After that the
    /// outcome is unknown (the CA still holds the request), never a failure.
    /// </summary>
    public TimeSpan MaxTotalPollWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on a single wait between polls, whatever checkAfter the CA asks for.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Lower bound on a single wait between polls, so a CA answering checkAfter 0 is not hammered.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The CMP endpoint: <see cref="ServerUri"/> with <see cref="Path"/>.</summary>
    public Uri Endpoint => new(ServerUri ?? throw new InvalidOperationException("CmpOptions.ServerUri is not set."), Path);

    /// <summary>Throws with every problem listed, so a bad configuration stops the process at start.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid CMP options: " + string.Join(" ", problems));
    }

    /// <summary>Every problem with these settings, each starting with the setting it is about; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ServerUri is null || !ServerUri.IsAbsoluteUri || (ServerUri.Scheme != Uri.UriSchemeHttp && ServerUri.Scheme != Uri.UriSchemeHttps))
            problems.Add("ServerUri must be an absolute http or https address.");
        if (string.IsNullOrEmpty(Path) || Path[0] != '/')
            problems.Add("Path must start with '/'.");
        if (SharedSecret is null)
        {
            if (RaCertificate is null && (RaCertificatePath is null || RaKeyPath is null))
                problems.Add("RaCertificatePath and RaKeyPath (or RaCertificate) are required for signature protection.");
            if (RaCertificate is { HasPrivateKey: false })
                problems.Add("RaCertificate has no private key.");
            if (CaServerCertificate is null && CaServerCertificatePath is null)
                problems.Add("CaServerCertificatePath (or CaServerCertificate) is required to verify the CA's answers.");
        }
        else if (string.IsNullOrEmpty(SharedSecretReference))
        {
            problems.Add("SharedSecretReference (the senderKID the CA knows the secret by) is required with SharedSecret.");
        }
        if (MaxTotalPollWait < TimeSpan.Zero || MinPollInterval < TimeSpan.Zero || MaxPollInterval < MinPollInterval)
            problems.Add("MinPollInterval, MaxPollInterval and MaxTotalPollWait must be non-negative, and MinPollInterval at most MaxPollInterval.");
        return problems;
    }
}
