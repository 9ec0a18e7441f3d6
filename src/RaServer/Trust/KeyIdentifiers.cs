using System.Security.Cryptography.X509Certificates;

namespace RaServer.Trust;

/// <summary>
/// The key identifier of a CA certificate, as upper-case hex: how the RA tells apart CA generations that
/// share one DN (docs/DOMAIN.md). The subjectKeyIdentifier when present, else the RFC 5280 SHA-1 method.
/// </summary>
public static class KeyIdentifiers
{
    public static string Of(X509Certificate2 certificate) =>
        (certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
         ?? new X509SubjectKeyIdentifierExtension(certificate.PublicKey, critical: false)).SubjectKeyIdentifier!.ToUpperInvariant();
}
