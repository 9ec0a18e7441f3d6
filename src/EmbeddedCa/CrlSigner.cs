using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>One line of the CRL: a held or revoked certificate.</summary>
public sealed record RevokedCertificate(byte[] Serial, DateTimeOffset RevokedAt, RevocationReason Reason);

/// <summary>
/// Signs CRLs with .NET's <see cref="CertificateRevocationListBuilder"/>: a tenth of BouncyCastle's time for large
/// lists (docs/PERFORMANCE.md), and it knows certificateHold.
/// </summary>
public sealed class CrlSigner(CaMaterial ca)
{
    public byte[] Sign(IEnumerable<RevokedCertificate> entries, long crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in entries)
            builder.AddEntry(entry.Serial, entry.RevokedAt, CrlReasonCodes.CrlEntryReasonOf(entry.Reason));
        var padding = ca.IssuingKey is RSA ? RSASignaturePadding.Pkcs1 : null;
        return builder.Build(ca.Issuing, new BigInteger(crlNumber), nextUpdate, HashAlgorithmName.SHA256, padding, thisUpdate);
    }
}
