using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// The embedded CA's private keys with .NET: made, sealed as encrypted PKCS#8 PEM and opened again (the sealed key
/// source), and the signing helpers every key, a token's too, goes through.
/// </summary>
public static class CaKeys
{
    /// <summary>
    /// PBKDF2 with SHA-256 and AES-256: OpenSSL reads it (openssl pkey -in key.pem), and 600,000 rounds is the
    /// OWASP figure for PBKDF2-SHA256. It is paid once per key per start, never per certificate; the count is
    /// stored in the PEM, so keys sealed with another count still open.
    /// </summary>
    public const int DefaultSealingIterations = 600_000;

    public static AsymmetricAlgorithm Generate(CaKeyAlgorithm algorithm) => algorithm switch
    {
        CaKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CaKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static string Seal(AsymmetricAlgorithm key, string passphrase, int iterations = DefaultSealingIterations)
    {
        RequirePassphrase(passphrase);
        return key.ExportEncryptedPkcs8PrivateKeyPem(passphrase,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, iterations));
    }

    /// <summary>Throws <see cref="CryptographicException"/> for a wrong passphrase or a damaged key.</summary>
    public static AsymmetricAlgorithm Open(string encryptedPem, CaKeyAlgorithm algorithm, string passphrase)
    {
        RequirePassphrase(passphrase);
        AsymmetricAlgorithm key = algorithm switch
        {
            CaKeyAlgorithm.EcdsaP256 => ECDsa.Create(),
            CaKeyAlgorithm.Rsa2048 => RSA.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        try
        {
            key.ImportFromEncryptedPem(encryptedPem, passphrase);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    public static X509SignatureGenerator SignerFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    private static void RequirePassphrase(string passphrase)
    {
        if (string.IsNullOrEmpty(passphrase))
            throw new ArgumentException("The CA key passphrase is empty.", nameof(passphrase));
    }
}
