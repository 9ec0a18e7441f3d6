using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ra.DevPki;

/// <summary>Key generation and the glue between a key and .NET's certificate APIs, for both key types.</summary>
internal static class KeyPairs
{
    public static AsymmetricAlgorithm Generate(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    public static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    /// <summary>A signature generator over the CA certificate's private key.</summary>
    public static X509SignatureGenerator SignerOf(X509Certificate2 ca) =>
        ca.GetRSAPrivateKey() is { } rsa
            ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa(
                ca.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The CA certificate has no private key."));

    /// <summary>Padding for CRL signing: PKCS#1 for RSA CAs, none for ECDSA.</summary>
    public static RSASignaturePadding? CrlPadding(X509Certificate2 ca) =>
        ca.GetRSAPublicKey() is null ? null : RSASignaturePadding.Pkcs1;

    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPrivateKey())
            if (rsa is not null)
                return rsa.ExportPkcs8PrivateKeyPem();
        using var ec = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no private key.");
        return ec.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>Positive, 16 random bytes: unpredictable like a real CA's, never negative in DER.</summary>
    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }
}
