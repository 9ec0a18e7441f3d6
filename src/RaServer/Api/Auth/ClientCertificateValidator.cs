using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Checks that a system client's certificate chains to the configured client CAs, is within its validity
/// and is meant for client authentication. Kestrel accepts any certificate at the TLS layer so that a bad one
/// gets a clear UNAUTHENTICATED status here instead of an opaque handshake failure.
/// </summary>
public sealed class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxCachedCertificates = 10_000;

    private readonly X509Certificate2Collection roots = [];
    private readonly X509Certificate2Collection intermediates = [];
    private readonly TimeProvider clock;
    // The chain is built once per distinct certificate; validity dates are re-checked on every call. The value is the
    // issuing CA's SPKI hash, or null for a certificate that does not chain (or is not for client authentication).
    private readonly ConcurrentDictionary<string, string?> chainResults = new();

    public ClientCertificateValidator(IOptions<AuthOptions> options, TimeProvider clock)
    {
        this.clock = clock;
        var path = options.Value.ClientCaBundlePath;
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            throw new InvalidOperationException($"Auth:ClientCaBundlePath must name a PEM bundle of client CAs (got '{path}')");
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        foreach (var cert in bundle)
            (cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData) ? roots : intermediates).Add(cert);
        if (roots.Count == 0)
            throw new InvalidOperationException($"{path} holds no self-signed root certificate");
    }

    /// <summary>
    /// Returns what the allow-list pins (issuer key, own key, subject) when the certificate is acceptable, else throws
    /// UNAUTHENTICATED. The name is deliberately not returned: a name is no identity under a bundle that holds a root.
    /// </summary>
    public ValidatedClientCertificate Validate(X509Certificate2 certificate)
    {
        var now = clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            throw new RaException(RaErrorKind.Unauthenticated, "CLIENT_CERT_EXPIRED", "the client certificate is not valid now");

        var key = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        if (!chainResults.TryGetValue(key, out var issuerSpki))
        {
            issuerSpki = AllowsClientAuth(certificate) ? IssuerSpkiOf(certificate) : null;
            if (chainResults.Count >= MaxCachedCertificates)
                chainResults.Clear();
            chainResults[key] = issuerSpki;
        }
        if (issuerSpki is null)
            throw new RaException(RaErrorKind.Unauthenticated, "CLIENT_CERT_UNTRUSTED",
                "the client certificate is not issued by a trusted client CA for client authentication");

        return new ValidatedClientCertificate(issuerSpki, ClientPins.SpkiSha256(certificate), certificate.SubjectName.Name);
    }

    /// <summary>The SPKI hash of the CA that signed the certificate, when the chain reaches a client CA; else null.</summary>
    private string? IssuerSpkiOf(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        // A bundle root presented as a client certificate chains to itself; it issued nothing, so it is no client.
        if (!chain.Build(certificate) || chain.ChainElements.Count < 2)
            return null;
        return ClientPins.SpkiSha256(chain.ChainElements[1].Certificate);
    }

    private static bool AllowsClientAuth(X509Certificate2 certificate)
    {
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is null || eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid);
    }
}
