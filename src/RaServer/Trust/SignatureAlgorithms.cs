using System.Security.Cryptography;

namespace RaServer.Trust;

/// <summary>
/// Maps signature and digest algorithm OIDs to .NET primitives. Only what the government CAs and common
/// CMS producers use: RSA PKCS#1 v1.5 and ECDSA with SHA-2. SHA-1 is refused as too weak to trust.
/// </summary>
internal static class SignatureAlgorithms
{
    public enum Scheme { RsaPkcs1, Ecdsa }

    public static HashAlgorithmName? Digest(string oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>
    /// The scheme and hash of a signature algorithm. Bare key-type OIDs (rsaEncryption, id-ecPublicKey),
    /// which CMS producers commonly write, take the hash from <paramref name="digest"/>.
    /// </summary>
    public static (Scheme Scheme, HashAlgorithmName Hash)? Signature(string oid, HashAlgorithmName? digest) => oid switch
    {
        "1.2.840.113549.1.1.1" when digest is { } d => (Scheme.RsaPkcs1, d),
        "1.2.840.113549.1.1.11" => (Scheme.RsaPkcs1, HashAlgorithmName.SHA256),
        "1.2.840.113549.1.1.12" => (Scheme.RsaPkcs1, HashAlgorithmName.SHA384),
        "1.2.840.113549.1.1.13" => (Scheme.RsaPkcs1, HashAlgorithmName.SHA512),
        "1.2.840.10045.2.1" when digest is { } d => (Scheme.Ecdsa, d),
        "1.2.840.10045.4.3.2" => (Scheme.Ecdsa, HashAlgorithmName.SHA256),
        "1.2.840.10045.4.3.3" => (Scheme.Ecdsa, HashAlgorithmName.SHA384),
        "1.2.840.10045.4.3.4" => (Scheme.Ecdsa, HashAlgorithmName.SHA512),
        _ => null,
    };

    /// <summary>
    /// Verifies with a .NET key (OpenSSL underneath). Public-key verification on Linux builds a fresh
    /// EVP_PKEY_CTX per call, so one cached key object serves concurrent requests.
    /// </summary>
    public static bool Verify(AsymmetricAlgorithm key, Scheme scheme, HashAlgorithmName hash,
        ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => (key, scheme) switch
    {
        (RSA rsa, Scheme.RsaPkcs1) => rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1),
        (ECDsa ec, Scheme.Ecdsa) => ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence),
        _ => false, // the algorithm does not fit the key: never a valid signature
    };
}
