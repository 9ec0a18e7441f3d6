using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>Names a certificate the way CMP's RevDetails does: its issuer's DN and its serial number.</summary>
/// <param name="Issuer">The issuing CA's subject DN, exactly as in the certificate's issuer field.</param>
/// <param name="SerialNumberHex">The serial number as big-endian hex (as <see cref="X509Certificate2.SerialNumber"/> prints it).</param>
public sealed record CaCertificateId(X500DistinguishedName Issuer, string SerialNumberHex)
{
    public static CaCertificateId Of(X509Certificate2 certificate) => new(certificate.IssuerName, certificate.SerialNumber);
}
