using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Ra.Client.Keys;

namespace Ra.Client.Files;

/// <summary>What a PKCS#12 backup holds: the certificate with its private key, and the CA chain (issuing CA first).</summary>
public sealed record BackupContents(X509Certificate2 Certificate, ApplicantKey Key, IReadOnlyList<X509Certificate2> Chain) : IDisposable
{
    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
        foreach (var ca in Chain)
            ca.Dispose();
    }
}

/// <summary>
/// The PKCS#12 backup of a certificate, its private key and its chain, protected by a password: key and certificate
/// bags under PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) and an HMAC-SHA256 integrity MAC (<see cref="Protection"/>),
/// which openssl 3 reads without -legacy. Importing it is how `ra install --from-backup` restores a machine.
/// </summary>
public static class Pkcs12Backup
{
    /// <summary>The backup of <paramref name="certificate"/> issued for <paramref name="key"/>, with <paramref name="chain"/>.</summary>
    /// <exception cref="KeyFileException">the certificate was issued for another key.</exception>
    public static byte[] Export(X509Certificate2 certificate, ApplicantKey key, IEnumerable<X509Certificate2> chain, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        using var withKey = key.AttachTo(certificate);
        // The CAs go in as bare certificates: an export writes the private key of every certificate that has one,
        // and a CA's key must never land in an applicant's backup.
        var cas = chain.Select(ca => X509CertificateLoader.LoadCertificate(ca.RawData)).ToList();
        try
        {
            var collection = new X509Certificate2Collection(withKey);
            collection.AddRange(cas.ToArray());
            return collection.ExportPkcs12(Protection.Pbe, password);
        }
        finally
        {
            foreach (var ca in cas)
                ca.Dispose();
        }
    }

    /// <summary>
    /// Opens a backup: exactly one certificate with a private key, the rest its chain. The chain comes back in the
    /// order of issue from the certificate up (issuing CA first) whatever the order in the file.
    /// </summary>
    /// <exception cref="KeyFileException">not a PKCS#12 file, a wrong password, or not one certificate with its key.</exception>
    public static BackupContents Import(byte[] pkcs12, string password)
    {
        CheckPassword(pkcs12, password);
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException e)
        {
            throw new KeyFileException("the backup cannot be read (damaged, or made with parameters beyond the loader's limits)", e);
        }
        var withKey = all.Where(c => c.HasPrivateKey).ToList();
        if (withKey.Count != 1)
        {
            Dispose(all);
            throw new KeyFileException($"the backup holds {withKey.Count} certificates with a private key; exactly one expected");
        }
        var certificate = withKey[0];
        ApplicantKey key;
        try
        {
            key = ApplicantKey.FromCertificate(certificate);
        }
        catch
        {
            Dispose(all);
            throw;
        }
        var others = all.Where(c => c != certificate).ToList();
        return new BackupContents(certificate, key, ChainOrder(certificate, others));
    }

    // The MAC is checked first so a wrong password is told apart from a damaged file.
    private static void CheckPassword(byte[] pkcs12, string password)
    {
        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(pkcs12, out var read, skipCopy: true);
            if (read != pkcs12.Length)
                throw new KeyFileException("the backup is followed by extra bytes");
        }
        catch (CryptographicException e)
        {
            throw new KeyFileException("not a PKCS#12 file", e);
        }
        if (info.IntegrityMode != Pkcs12IntegrityMode.Password)
            throw new KeyFileException("the backup is not protected by a password");
        if (!info.VerifyMac(password))
            throw new KeyFileException("the backup's password is wrong");
    }

    private static List<X509Certificate2> ChainOrder(X509Certificate2 leaf, List<X509Certificate2> cas)
    {
        var ordered = new List<X509Certificate2>();
        var current = leaf;
        while (cas.FirstOrDefault(ca => !ordered.Contains(ca) && ca != current && ca.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData)) is { } issuer)
        {
            ordered.Add(issuer);
            current = issuer;
        }
        // Certificates that do not chain (extra roots, say) are kept, after the chain.
        ordered.AddRange(cas.Where(ca => !ordered.Contains(ca)));
        return ordered;
    }

    private static void Dispose(X509Certificate2Collection all)
    {
        foreach (var c in all)
            c.Dispose();
    }
}
