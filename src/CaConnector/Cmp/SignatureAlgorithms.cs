using System.Security.Cryptography;

namespace CaConnector.Cmp;

/// <summary>The signature algorithms the connector signs with and accepts from a CA, checked with .NET.</summary>
internal static class SignatureAlgorithms
{
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    /// <summary>False for an algorithm we do not know, which the caller treats like a bad signature.</summary>
    public static bool TryVerify(string oid, AsymmetricAlgorithm key, byte[] data, byte[] signature, out bool valid)
    {
        valid = false;
        switch (key, oid)
        {
            case (RSA rsa, Sha256WithRsa or Sha384WithRsa or Sha512WithRsa):
                valid = rsa.VerifyData(data, signature, HashOf(oid), RSASignaturePadding.Pkcs1);
                return true;
            case (ECDsa ecdsa, EcdsaWithSha256 or EcdsaWithSha384 or EcdsaWithSha512):
                valid = ecdsa.VerifyData(data, signature, HashOf(oid), DSASignatureFormat.Rfc3279DerSequence);
                return true;
            default:
                return false;
        }
    }

    private static HashAlgorithmName HashOf(string oid) => oid switch
    {
        Sha384WithRsa or EcdsaWithSha384 => HashAlgorithmName.SHA384,
        Sha512WithRsa or EcdsaWithSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
