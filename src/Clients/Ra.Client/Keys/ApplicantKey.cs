using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ra.Client.Keys;

/// <summary>
/// The applicant's key pair, made on the operator's machine. The private key leaves this object only as PKCS#8
/// (<see cref="ExportPkcs8Pem"/>, encrypted when a password is given) or inside a PKCS#12 backup; the RA only ever
/// sees the public key, in the CSR.
/// </summary>
public sealed class ApplicantKey : IDisposable
{
    private readonly AsymmetricAlgorithm key;

    private ApplicantKey(AsymmetricAlgorithm key, KeyType type)
    {
        this.key = key;
        Type = type;
    }

    public KeyType Type { get; }

    /// <summary>Makes a new key pair of <paramref name="type"/> (ECDSA P-256 unless told otherwise).</summary>
    public static ApplicantKey Generate(KeyType type = KeyType.EcdsaP256) => type switch
    {
        KeyType.EcdsaP256 => new ApplicantKey(ECDsa.Create(ECCurve.NamedCurves.nistP256), type),
        KeyType.Rsa2048 => new ApplicantKey(RSA.Create(2048), type),
        KeyType.Rsa3072 => new ApplicantKey(RSA.Create(3072), type),
    };

    /// <summary>
    /// Reads a PKCS#8 private key from PEM ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with <paramref name="password"/>).
    /// Only the key types of <see cref="KeyType"/> are taken, so a key read back is one the RA accepts.
    /// </summary>
    /// <exception cref="KeyFileException">not such a key, or the password is wrong.</exception>
    public static ApplicantKey ImportPem(string pem, string? password = null)
    {
        var label = PemEncoding.TryFind(pem, out var fields) ? pem[fields.Label] : null;
        var encrypted = label == "ENCRYPTED PRIVATE KEY";
        if (label != "PRIVATE KEY" && !encrypted)
            throw new KeyFileException("not a PKCS#8 private key in PEM (PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
        if (encrypted && string.IsNullOrEmpty(password))
            throw new KeyFileException("the private key is encrypted; a password is needed");
        var der = pem.AsSpan()[fields.Base64Data].ToString();
        return FromPkcs8(Convert.FromBase64String(der), encrypted ? password : null);
    }

    /// <summary>Takes over a private key already loaded (from a PKCS#12 backup), if it is one of <see cref="KeyType"/>.</summary>
    /// <exception cref="KeyFileException">another algorithm, curve or size.</exception>
    public static ApplicantKey FromCertificate(X509Certificate2 certificateWithKey)
    {
        if (certificateWithKey.GetECDsaPrivateKey() is { } ec)
            return Checked(ec);
        if (certificateWithKey.GetRSAPrivateKey() is { } rsa)
            return Checked(rsa);
        throw new KeyFileException("the certificate carries no ECDSA or RSA private key");
    }

    /// <summary>The public key as SubjectPublicKeyInfo (DER), to compare with a certificate's.</summary>
    public byte[] ExportSubjectPublicKeyInfo() => key.ExportSubjectPublicKeyInfo();

    /// <summary>
    /// The private key as PKCS#8 PEM: plain ("PRIVATE KEY") without a password, otherwise "ENCRYPTED PRIVATE KEY"
    /// under PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256 (<see cref="Protection.Pbe"/>).
    /// </summary>
    public string ExportPkcs8Pem(string? password = null) => string.IsNullOrEmpty(password)
        ? key.ExportPkcs8PrivateKeyPem()
        : key.ExportEncryptedPkcs8PrivateKeyPem(password, Protection.Pbe);

    /// <summary>Whether <paramref name="certificate"/> was issued for this key pair.</summary>
    public bool Matches(X509Certificate2 certificate) =>
        certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ExportSubjectPublicKeyInfo());

    /// <summary>A copy of <paramref name="certificate"/> joined with this private key, for a PKCS#12 backup.</summary>
    /// <exception cref="KeyFileException">the certificate was issued for another key.</exception>
    public X509Certificate2 AttachTo(X509Certificate2 certificate)
    {
        if (!Matches(certificate))
            throw new KeyFileException("the certificate was issued for another key pair");
        // From a bare copy: CopyWithPrivateKey refuses a certificate that already has a key (one read from a backup).
        using var bare = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return key switch
        {
            ECDsa ec => bare.CopyWithPrivateKey(ec),
            RSA rsa => bare.CopyWithPrivateKey(rsa),
            _ => throw new InvalidOperationException("unreachable: only ECDSA and RSA keys are made"),
        };
    }

    /// <summary>The CertificateRequest that signs the CSR: SHA-256, PKCS#1 v1.5 for RSA (accepted everywhere).</summary>
    internal CertificateRequest RequestFor(X500DistinguishedName subject) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("unreachable: only ECDSA and RSA keys are made"),
    };

    public void Dispose() => key.Dispose();

    private static ApplicantKey FromPkcs8(byte[] der, string? password)
    {
        // The algorithm is not known before reading; try each and keep the one that takes the bytes.
        AsymmetricAlgorithm[] candidates = [ECDsa.Create(), RSA.Create()];
        foreach (var candidate in candidates)
        {
            try
            {
                if (password is null)
                    ImportPkcs8(candidate, der);
                else
                    ImportEncryptedPkcs8(candidate, der, password);
                foreach (var other in candidates.Where(c => c != candidate))
                    other.Dispose();
                return Checked(candidate);
            }
            catch (CryptographicException)
            {
                // Not this algorithm (or, for the last one, not a key at all / wrong password): try the next.
            }
        }
        foreach (var candidate in candidates)
            candidate.Dispose();
        throw new KeyFileException(password is null
            ? "the file holds no readable ECDSA or RSA private key"
            : "the password is wrong, or the file holds no ECDSA or RSA private key");
    }

    private static void ImportPkcs8(AsymmetricAlgorithm key, byte[] der) => key.ImportPkcs8PrivateKey(der, out _);

    private static void ImportEncryptedPkcs8(AsymmetricAlgorithm key, byte[] der, string password) =>
        key.ImportEncryptedPkcs8PrivateKey(password, der, out _);

    private static ApplicantKey Checked(AsymmetricAlgorithm key)
    {
        KeyType? type = key switch
        {
            ECDsa ec when ec.ExportParameters(false).Curve.Oid.Value == "1.2.840.10045.3.1.7" => KeyType.EcdsaP256,
            RSA { KeySize: 2048 } => KeyType.Rsa2048,
            RSA { KeySize: 3072 } => KeyType.Rsa3072,
            _ => null,
        };
        if (type is { } known)
            return new ApplicantKey(key, known);
        key.Dispose();
        throw new KeyFileException("the key is not ECDSA P-256, RSA 2048 or RSA 3072");
    }
}
