using System.Security.Cryptography;

namespace Ra.Client.Keys;

/// <summary>
/// How the SDK encrypts what it protects with a password (PKCS#8 keys and PKCS#12 backups): PBES2 with AES-256-CBC,
/// keys derived by PBKDF2-HMAC-SHA256. Never the legacy PKCS#12 3DES/RC2 schemes, which openssl 3 reads only with
/// -legacy. The iteration count keeps a PKCS#12 (MAC, certificate bag and key bag, three derivations) under .NET's
/// default loader limit of 1 000 000 iterations in total, so any .NET program opens the backup.
/// </summary>
public static class Protection
{
    public const int Iterations = 300_000;

    public static PbeParameters Pbe { get; } = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);
}
