using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaServer.Policy;

/// <summary>
/// Signs and checks a checkpoint statement (<see cref="AuditHash.CheckpointStatement"/>) with SHA-256: ECDSA keys as
/// a DER SEQUENCE (as X.509 and CMS carry them), RSA keys with PKCS#1 v1.5, whichever key the certificate holds.
/// </summary>
public static class AuditCheckpointSignature
{
    public static byte[] Sign(byte[] statement, X509Certificate2 signer)
    {
        if (signer.GetECDsaPrivateKey() is { } ec)
            using (ec)
                return ec.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (signer.GetRSAPrivateKey() is { } rsa)
            using (rsa)
                return rsa.SignData(statement, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        throw new ArgumentException("The audit signing certificate has no ECDSA or RSA private key.", nameof(signer));
    }

    public static bool Verify(byte[] statement, byte[] signature, X509Certificate2 signer)
    {
        try
        {
            if (signer.GetECDsaPublicKey() is { } ec)
                using (ec)
                    return ec.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            if (signer.GetRSAPublicKey() is { } rsa)
                using (rsa)
                    return rsa.VerifyData(statement, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return false;
        }
        catch (CryptographicException)
        {
            // A signature that does not even parse is simply not a valid one.
            return false;
        }
    }
}
