using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa.Cmp;

/// <summary>
/// A pinned CMP client certificate with what every request needs of it read once, at start: its subject key
/// identifier (the senderKID it signs as), its encoding and subject (the fall-backs), its validity and its public key.
/// Re-reading them per request cost a key import and an extension parse each time.
/// </summary>
internal sealed class CmpTrustedClient
{
    public CmpTrustedClient(X509Certificate2 certificate)
    {
        Certificate = certificate;
        KeyId = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray();
        SubjectDer = certificate.SubjectName.RawData;
        NotBefore = certificate.NotBefore.ToUniversalTime();
        NotAfter = certificate.NotAfter.ToUniversalTime();
        // Shared by concurrent requests: verification through OpenSSL keeps no state in the key object.
        PublicKey = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey();
    }

    public X509Certificate2 Certificate { get; }

    public byte[]? KeyId { get; }

    public byte[] SubjectDer { get; }

    public DateTime NotBefore { get; }

    public DateTime NotAfter { get; }

    /// <summary>Null for a key that is neither ECDSA nor RSA: such a client's requests never verify.</summary>
    public AsymmetricAlgorithm? PublicKey { get; }
}
