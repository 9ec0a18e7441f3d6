using System.Security.Cryptography.X509Certificates;

namespace Ra.DevPki;

/// <summary>One entry of a CRL made by <see cref="TestCa.CreateCrl"/>.</summary>
/// <param name="SerialNumberHex">Big-endian hex, as <see cref="X509Certificate2.SerialNumber"/> prints it.</param>
public sealed record RevokedEntry(string SerialNumberHex, DateTimeOffset RevokedAt, X509RevocationReason? Reason = null)
{
    public static RevokedEntry For(X509Certificate2 certificate, DateTimeOffset revokedAt, X509RevocationReason? reason = null) =>
        new(certificate.SerialNumber, revokedAt, reason);
}
