using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Ra.Client.Signing;

/// <summary>
/// Makes the detached CMS SignedData (RFC 5652) that the RA expects over a request's exact bytes:
/// SHA-256, the signer's certificate included, and signingTime as a signed attribute (the RA refuses a
/// signature without it, and one outside its clock window).
/// </summary>
public static class DetachedCmsSigner
{
    public static byte[] Sign(ReadOnlySpan<byte> content, X509Certificate2 signer, DateTimeOffset signingTime)
    {
        if (!signer.HasPrivateKey)
            throw new ArgumentException("the signing certificate has no private key", nameof(signer));
        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }
}
