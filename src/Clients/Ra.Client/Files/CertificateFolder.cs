using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ra.Client.Keys;

namespace Ra.Client.Files;

/// <summary>What <see cref="CertificateFolder.Install"/> put in place.</summary>
public sealed record InstalledCertificate(string SerialHex, DateTimeOffset NotAfter, string CertificatePemFile, string KeyFile, string? KeyStoreFile);

/// <summary>
/// One folder holding an applicant's key and certificate under fixed names, so a renewal downloaded into the same
/// folder replaces the files in place and the ready-to-use system's plug-in file needs no change (the manual: "a
/// renewed certificate downloaded to the same folder takes effect at once"). Every file is replaced atomically.
///
/// A new key waits in key.pending.pem until its certificate arrives, so that during a renewal the running system
/// keeps its current key and certificate; <see cref="Install"/> promotes it. Private keys are readable by the owner
/// only.
/// </summary>
public sealed class CertificateFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The private key of the installed certificate, PKCS#8 PEM (encrypted when a password was given).</summary>
    public string KeyFile => At("key.pem");

    /// <summary>A key made for a CSR whose certificate has not been installed yet, PKCS#8 PEM.</summary>
    public string PendingKeyFile => At("key.pending.pem");

    /// <summary>The CSR of the pending key, PEM, as submitted.</summary>
    public string RequestFile => At("request.csr");

    /// <summary>The certificate, PEM.</summary>
    public string CertificatePemFile => At("cert.pem");

    /// <summary>The certificate, DER (for systems and Windows dialogs that want .cer/.der).</summary>
    public string CertificateDerFile => At("cert.der");

    /// <summary>The CA chain, PEM, issuing CA first up to the root.</summary>
    public string ChainPemFile => At("chain.pem");

    /// <summary>The certificate followed by its chain, PEM (what TLS-style consumers load).</summary>
    public string FullChainPemFile => At("fullchain.pem");

    /// <summary>PKCS#12 key store with the certificate, its key and the chain (<see cref="Pkcs12Backup"/>); also the backup to copy away.</summary>
    public string KeyStoreFile => At("keystore.p12");

    /// <summary>Every file this folder may hold, for <see cref="Delete"/>.</summary>
    public IReadOnlyList<string> AllFiles =>
        [KeyFile, PendingKeyFile, RequestFile, CertificatePemFile, CertificateDerFile, ChainPemFile, FullChainPemFile, KeyStoreFile];

    /// <summary>
    /// Keeps <paramref name="key"/> as the pending key (encrypted with <paramref name="keyPassword"/> when given) and
    /// writes its CSR; returns the CSR's DER for SubmitCsr. A pending key from an earlier attempt is replaced.
    /// </summary>
    public byte[] PrepareRequest(ApplicantKey key, string? keyPassword = null, X500DistinguishedName? subject = null)
    {
        var der = SigningRequest.CreateDer(key, subject);
        AtomicFile.Write(PendingKeyFile, Encoding.ASCII.GetBytes(key.ExportPkcs8Pem(keyPassword)), secret: true);
        AtomicFile.Write(RequestFile, Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE REQUEST", der) + "\n"));
        return der;
    }

    /// <summary>
    /// Writes a downloaded certificate (DownloadCertificateResponse.certificate_der and chain_der) with the key it
    /// was issued for: the pending key, or the installed one when the same certificate is downloaded again. Writes
    /// the PKCS#12 key store when <paramref name="keyStorePassword"/> is given; one is required when a key store is
    /// already there, so a renewal never leaves the old certificate in it. The certificate files are written
    /// before the pending key becomes key.pem; if the process dies in between, calling Install again finishes.
    /// </summary>
    /// <exception cref="KeyFileException">neither key in the folder is the certificate's, a key cannot be read, or
    /// a key store exists and no password for it was given.</exception>
    public InstalledCertificate Install(byte[] certificateDer, IReadOnlyList<byte[]> chainDer, string? keyPassword = null, string? keyStorePassword = null)
    {
        if (keyStorePassword is null && File.Exists(KeyStoreFile))
            throw new KeyFileException($"{KeyStoreFile} exists; give a key store password so it is replaced too");
        using var certificate = LoadDer(certificateDer, "certificate");
        var chain = chainDer.Select((der, i) => LoadDer(der, $"chain certificate {i + 1}")).ToList();
        try
        {
            var (key, pending) = KeyFor(certificate, keyPassword);
            using (key)
            {
                WriteCertificates(certificate, chain);
                if (keyStorePassword is not null)
                    AtomicFile.Write(KeyStoreFile, Pkcs12Backup.Export(certificate, key, chain, keyStorePassword), secret: true);
                if (pending)
                    File.Move(PendingKeyFile, KeyFile, overwrite: true);
            }
            return Installed(certificate, keyStorePassword is not null);
        }
        finally
        {
            foreach (var ca in chain)
                ca.Dispose();
        }
    }

    /// <summary>
    /// Restores this folder from a PKCS#12 backup (`ra install --from-backup`): key.pem (encrypted with
    /// <paramref name="keyPassword"/> when given), the certificate files, and the key store under the backup's
    /// password, rewritten with the SDK's algorithms whatever the backup used.
    /// </summary>
    /// <exception cref="KeyFileException">the backup cannot be opened (see <see cref="Pkcs12Backup.Import"/>).</exception>
    public InstalledCertificate InstallFromBackup(byte[] pkcs12, string backupPassword, string? keyPassword = null)
    {
        using var contents = Pkcs12Backup.Import(pkcs12, backupPassword);
        WriteCertificates(contents.Certificate, contents.Chain);
        AtomicFile.Write(KeyStoreFile, Pkcs12Backup.Export(contents.Certificate, contents.Key, contents.Chain, backupPassword), secret: true);
        AtomicFile.Write(KeyFile, Encoding.ASCII.GetBytes(contents.Key.ExportPkcs8Pem(keyPassword)), secret: true);
        return Installed(contents.Certificate, keyStore: true);
    }

    /// <summary>The installed private key.</summary>
    /// <exception cref="KeyFileException">missing, or unreadable with <paramref name="password"/>.</exception>
    public ApplicantKey LoadKey(string? password = null) => ReadKey(KeyFile, password);

    /// <summary>The installed certificate.</summary>
    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadCertificateFromFile(CertificateDerFile);

    /// <summary>Deletes the files this folder's layout names (for `ra uninstall`), and the folder if nothing else is left in it.</summary>
    public void Delete()
    {
        foreach (var file in AllFiles.Where(File.Exists))
            File.Delete(file);
        if (Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any())
            Directory.Delete(Path);
    }

    private void WriteCertificates(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        var leafPem = certificate.ExportCertificatePem() + "\n";
        var chainPem = string.Concat(chain.Select(ca => ca.ExportCertificatePem() + "\n"));
        AtomicFile.Write(CertificateDerFile, certificate.RawData);
        AtomicFile.Write(ChainPemFile, Encoding.ASCII.GetBytes(chainPem));
        AtomicFile.Write(FullChainPemFile, Encoding.ASCII.GetBytes(leafPem + chainPem));
        AtomicFile.Write(CertificatePemFile, Encoding.ASCII.GetBytes(leafPem));
    }

    private (ApplicantKey Key, bool Pending) KeyFor(X509Certificate2 certificate, string? password)
    {
        foreach (var (file, pending) in new[] { (PendingKeyFile, true), (KeyFile, false) })
        {
            if (!File.Exists(file))
                continue;
            var key = ReadKey(file, password);
            if (key.Matches(certificate))
                return (key, pending);
            key.Dispose();
        }
        throw new KeyFileException($"the certificate was not issued for a key in {Path} (neither key.pending.pem nor key.pem)");
    }

    private static ApplicantKey ReadKey(string file, string? password)
    {
        if (!File.Exists(file))
            throw new KeyFileException($"{file} does not exist");
        return ApplicantKey.ImportPem(File.ReadAllText(file), password);
    }

    private InstalledCertificate Installed(X509Certificate2 certificate, bool keyStore) =>
        new(certificate.SerialNumber, certificate.NotAfter.ToUniversalTime(), CertificatePemFile, KeyFile, keyStore ? KeyStoreFile : null);

    private static X509Certificate2 LoadDer(byte[] der, string what)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new KeyFileException($"the {what} is not a DER X.509 certificate", e);
        }
    }

    private string At(string name) => System.IO.Path.Combine(Path, name);
}
