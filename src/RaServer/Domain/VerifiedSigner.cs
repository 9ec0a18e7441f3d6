using System.Security.Cryptography.X509Certificates;
using RaServer.Trust;

namespace RaServer.Domain;

/// <summary>
/// Who signed a request, after every check of <see cref="SignedRequestVerifier"/> passed. The certificate
/// object is shared by every request of the same signer: read it, never dispose it.
/// </summary>
public sealed record VerifiedSigner
{
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>The certificate as DER, e.g. for the audit row.</summary>
    public ReadOnlyMemory<byte> CertificateDer => Certificate.RawDataMemory;

    /// <summary>SHA-256 of the certificate DER, upper-case hex.</summary>
    public required string Sha256Thumbprint { get; init; }

    /// <summary>Serial number, upper-case big-endian hex.</summary>
    public required string SerialNumberHex { get; init; }

    public required string IssuerDn { get; init; }

    /// <summary>Key identifier of the issuing CA; with the serial it names the certificate unambiguously.</summary>
    public required string IssuerKeyId { get; init; }

    /// <summary>The signingTime the signer put in the signed attributes (checked against the server clock).</summary>
    public required DateTimeOffset SigningTime { get; init; }

    public required SignerKind Kind { get; init; }

    /// <summary>The company's UBN (MOEACA), from subjectDirectoryAttributes or the subject serialNumber.</summary>
    public string? Ubn { get; init; }

    /// <summary>Last four digits of the holder's national ID (MOICA).</summary>
    public string? IdLastFour { get; init; }

    /// <summary>The holder's name, the certificate CN (MOICA).</summary>
    public string? PersonName { get; init; }

    /// <summary>GCA / XCA organisation identifier (2.16.886.1.100.2.102).</summary>
    public string? OrganizationId { get; init; }
}
