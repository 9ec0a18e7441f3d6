using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>One certificate of a signer's chain, reduced to what is re-checked on every request.</summary>
/// <param name="SerialHex">In the spelling of <see cref="SerialNumbers"/>, as the CRLs are read.</param>
/// <param name="IssuerKeyId">Key identifier of the CA that issued this certificate; null for the trust anchor.</param>
internal sealed record ChainLink(string Subject, string SerialHex, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string? IssuerKeyId);

/// <summary>
/// Everything about a signer certificate that does not change between requests: its parsed public key,
/// its chain to a trust anchor (or why there is none), key usage and holder identity. Built once per
/// distinct certificate and cached; what does change (clock, CRLs) is checked per request.
/// </summary>
internal sealed class SignerProfile
{
    private SignerProfile(X509Certificate2 certificate, string thumbprint)
    {
        Certificate = certificate;
        Sha256Thumbprint = thumbprint;
        SerialHex = certificate.SerialNumber;
        SubjectKeyId = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier?.ToUpperInvariant();
        PublicKey = (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey();
        // No keyUsage extension means the key is not restricted (RFC 5280 4.2.1.3).
        KeyUsageAllowsSigning = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
            || (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) != 0;
    }

    public X509Certificate2 Certificate { get; }
    public string Sha256Thumbprint { get; }
    public string SerialHex { get; }
    public string? SubjectKeyId { get; }

    /// <summary>RSA or ECDsa; null for a key type the RA does not accept (every signature then fails).</summary>
    public AsymmetricAlgorithm? PublicKey { get; }
    public bool KeyUsageAllowsSigning { get; }

    /// <summary>Leaf first, trust anchor last; empty when <see cref="TrustRefusal"/> is set.</summary>
    public IReadOnlyList<ChainLink> Chain { get; private init; } = [];
    public Refusal? TrustRefusal { get; private init; }

    public SignerIdentity? Identity { get; private init; }
    public Refusal? IdentityRefusal { get; private init; }

    public static SignerProfile Build(byte[] der, string sha256Thumbprint, TrustAnchors trust)
    {
        var certificate = X509CertificateLoader.LoadCertificate(der);
        var (chain, trustRefusal) = BuildChain(certificate, trust);
        SignerIdentity? identity = null;
        Refusal? identityRefusal = null;
        try
        {
            identity = SignerIdentity.Read(certificate);
        }
        catch (RaException e)
        {
            identityRefusal = Refusal.From(e);
        }
        return new SignerProfile(certificate, sha256Thumbprint)
        {
            Chain = chain,
            TrustRefusal = trustRefusal,
            Identity = identity,
            IdentityRefusal = identityRefusal,
        };
    }

    private static (IReadOnlyList<ChainLink>, Refusal?) BuildChain(X509Certificate2 certificate, TrustAnchors trust)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trust.Roots.ToArray());
        policy.ExtraStore.AddRange(trust.Intermediates.ToArray());
        // Revocation comes from our own CRL store and validity is judged at signing time per request, so
        // the cached chain must not depend on either. Never fetch issuers from URLs in a caller's certificate.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        policy.DisableCertificateDownloads = true;

        if (!chain.Build(certificate))
        {
            // The flag names are .NET's stable vocabulary; StatusInformation is OpenSSL's text and stays out of answers.
            var why = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
            return ([], new Refusal(RaErrorKind.Unauthenticated, "SIGNER_UNTRUSTED",
                $"The signer's certificate does not chain to a trusted root ({why})."));
        }

        // OpenSSL's chain builder picks issuers by authority key identifier and signature, so CA generations
        // sharing one DN resolve to the right one; we then key CRL lookups by that issuer's key id.
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        var links = new List<ChainLink>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            var issuerKeyId = i + 1 < elements.Count ? KeyIdentifiers.Of(elements[i + 1]) : null;
            links.Add(new ChainLink(element.Subject, SerialNumbers.Canonical(element.SerialNumber),
                new DateTimeOffset(element.NotBefore), new DateTimeOffset(element.NotAfter), issuerKeyId));
        }
        foreach (var element in elements)
            element.Dispose();
        return (links, null);
    }
}
