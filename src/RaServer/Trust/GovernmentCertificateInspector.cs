using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Trust;

/// <summary>A government PKI certificate offered for registration, after it was found to chain to an accepted anchor.</summary>
/// <param name="Sha256">SHA-256 of the DER, upper-case hex (as <see cref="VerifiedSigner.Sha256Thumbprint"/>).</param>
/// <param name="IssuerKeyId">Key identifier of the issuing CA, which names the CRL that judges the certificate.</param>
/// <param name="HolderName">The subject's CN, else its O: a person's name or an organisation's.</param>
public sealed record InspectedGovernmentCertificate(
    string Sha256, byte[] Der, GovernmentAuthority Authority, string IssuerDn, string IssuerKeyId, string SerialHex,
    string SubjectDn, string HolderName, DateTime NotBefore, DateTime NotAfter);

/// <summary>
/// Reads a certificate offered for registration by its DER: that it is one, that it chains to a configured trust anchor
/// (the same chain building signed requests are judged by), and which government CA issued it. Whether the applicant
/// holds it is the envelope's question, not this one's.
/// </summary>
public sealed class GovernmentCertificateInspector(TrustAnchors trust)
{
    public const string Field = "certificate_der";

    public InspectedGovernmentCertificate Inspect(byte[] der)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw RaException.InvalidField("GOVERNMENT_CERT_MALFORMED", Field, "not a DER-encoded X.509 certificate");
        }
        using (certificate)
        {
            var sha256 = Convert.ToHexString(SHA256.HashData(der));
            var profile = SignerProfile.Build(der, sha256, trust);
            // A chain of one is an anchor itself, which holds nothing for anyone.
            if (profile.TrustRefusal is not null || profile.Chain is not [var leaf, _, ..] || leaf.IssuerKeyId is not { } issuerKeyId)
                throw RaException.InvalidField("GOVERNMENT_CERT_UNTRUSTED", Field, "the certificate does not chain to an accepted trust anchor");
            var authority = GovernmentPkiPolicy.AuthorityNamed(
                    Attribute(certificate.IssuerName, CertificateOids.Organization), Attribute(certificate.IssuerName, CertificateOids.OrganizationalUnit))
                ?? throw RaException.InvalidField("GOVERNMENT_CERT_UNTRUSTED", Field, "the certificate is not issued by MOEACA, MOICA, GCA or XCA");
            return new InspectedGovernmentCertificate(
                sha256, der, authority, certificate.Issuer, issuerKeyId, leaf.SerialHex, certificate.Subject,
                Attribute(certificate.SubjectName, CertificateOids.CommonName) ?? Attribute(certificate.SubjectName, CertificateOids.Organization) ?? certificate.Subject,
                certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        }
    }

    private static string? Attribute(X500DistinguishedName name, string oid) =>
        name.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault();
}
