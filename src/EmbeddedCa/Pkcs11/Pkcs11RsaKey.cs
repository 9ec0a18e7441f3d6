using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;

namespace EmbeddedCa.Pkcs11;

/// <summary>
/// An RSA key whose private half is in the token: .NET's RSA with PKCS#1 v1.5 SHA-256 signing done by the token, the
/// only signature the CA makes with RSA.
/// </summary>
internal sealed class Pkcs11RsaKey : RSA
{
    // DER of DigestInfo { sha256, NULL } up to the digest (RFC 8017 9.2): CKM_RSA_PKCS pads what it is given, nothing more.
    private static readonly byte[] Sha256DigestInfoPrefix =
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    private readonly TokenKey _key;
    private readonly RSAParameters _public;

    public Pkcs11RsaKey(TokenKey key, RSAParameters publicParameters)
    {
        _key = key;
        _public = publicParameters;
        KeySizeValue = publicParameters.Modulus!.Length * 8;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The token hashes and signs in one step (CKM_SHA256_RSA_PKCS): the way every signer of the CA calls it.</summary>
    public override byte[] SignData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        RequireSha256Pkcs1(hashAlgorithm, padding);
        return _key.Sign(CKM.CKM_SHA256_RSA_PKCS, data.AsSpan(offset, count).ToArray());
    }

    /// <summary>For callers that hashed already (the span overloads of SignData): the token pads the DigestInfo.</summary>
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        RequireSha256Pkcs1(hashAlgorithm, padding);
        if (hash.Length != SHA256.HashSizeInBytes)
            throw new CryptographicException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {hash.Length}.");
        return _key.Sign(CKM.CKM_RSA_PKCS, [.. Sha256DigestInfoPrefix, .. hash]);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var verifier = RSA.Create(_public);
        return verifier.VerifyHash(hash, signature, hashAlgorithm, padding);
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new CryptographicException($"The private key labelled '{_key.Label}' never leaves its token.")
        : new RSAParameters { Modulus = (byte[])_public.Modulus!.Clone(), Exponent = (byte[])_public.Exponent!.Clone() };

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("A token key cannot be replaced.");

    private static void RequireSha256Pkcs1(HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256 || padding != RSASignaturePadding.Pkcs1)
            throw new CryptographicException($"The CA's token keys sign SHA-256 with PKCS#1 v1.5 only, not {hashAlgorithm} with {padding}.");
    }
}
