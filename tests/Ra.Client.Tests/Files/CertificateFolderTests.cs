using Ra.Client.Files;
using Ra.Client.Keys;

namespace Ra.Client.Tests.Files;

// Unix file modes are asserted: the suite runs on Linux, as the rest of the tests (PostgreSQL, runuser) do.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertificateFolderTests : IDisposable
{
    private const string KeyPassword = "key pass";
    private const string StorePassword = "store pass";
    private readonly TempFolder temp = new();
    private readonly TestIssuer issuer = new();

    public void Dispose()
    {
        temp.Dispose();
        issuer.Dispose();
    }

    [Fact]
    public void An_installed_certificate_has_its_key_chain_and_key_store_and_openssl_verifies_the_chain()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var key = ApplicantKey.Generate();
        var csr = folder.PrepareRequest(key, KeyPassword);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.PendingKeyFile));
        Assert.Contains("verify OK", OpenSsl.Succeed("req", "-in", folder.RequestFile, "-verify", "-noout"));
        Assert.False(File.Exists(folder.KeyFile));

        using var certificate = issuer.Issue(csr);
        var installed = folder.Install(certificate.RawData, issuer.ChainDer, KeyPassword, StorePassword);

        Assert.Equal(certificate.SerialNumber, installed.SerialHex);
        Assert.Equal(folder.KeyStoreFile, installed.KeyStoreFile);
        Assert.False(File.Exists(folder.PendingKeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.KeyStoreFile));
        using (var loaded = folder.LoadKey(KeyPassword))
            Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
        Assert.Equal(certificate.RawData, File.ReadAllBytes(folder.CertificateDerFile));

        var root = temp.Write("root.pem", issuer.Root.ExportCertificatePem());
        Assert.Contains(": OK", OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", folder.ChainPemFile, folder.CertificatePemFile));
        Assert.Contains(": OK", OpenSsl.Succeed("verify", "-CAfile", folder.ChainPemFile, "-partial_chain", folder.CertificatePemFile));
        Assert.Equal(3, File.ReadAllText(folder.FullChainPemFile).Split("BEGIN CERTIFICATE").Length - 1);
        using var contents = Pkcs12Backup.Import(File.ReadAllBytes(folder.KeyStoreFile), StorePassword);
        Assert.Equal(certificate.RawData, contents.Certificate.RawData);
    }

    [Fact]
    public void The_same_certificate_downloaded_again_installs_with_the_key_already_in_place()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var key = ApplicantKey.Generate(KeyType.Rsa2048);
        using var certificate = issuer.Issue(folder.PrepareRequest(key));
        folder.Install(certificate.RawData, issuer.ChainDer);
        var again = folder.Install(certificate.RawData, issuer.ChainDer);
        Assert.Equal(certificate.SerialNumber, again.SerialHex);
    }

    [Fact]
    public void A_renewal_keeps_the_running_key_until_its_certificate_arrives_and_then_takes_the_same_file_names()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var first = ApplicantKey.Generate();
        using var firstCertificate = issuer.Issue(folder.PrepareRequest(first, KeyPassword));
        folder.Install(firstCertificate.RawData, issuer.ChainDer, KeyPassword, StorePassword);
        var plugin = temp.Write("plugin.properties", "cert.path=\n");
        Assert.True(PluginConfigFile.PointTo(plugin, folder));

        using var second = ApplicantKey.Generate();
        var csr = folder.PrepareRequest(second, KeyPassword);
        using (var running = folder.LoadKey(KeyPassword))
            Assert.Equal(first.ExportSubjectPublicKeyInfo(), running.ExportSubjectPublicKeyInfo());
        Assert.Equal(firstCertificate.RawData, File.ReadAllBytes(folder.CertificateDerFile));

        using var renewed = issuer.Issue(csr);
        folder.Install(renewed.RawData, issuer.ChainDer, KeyPassword, StorePassword);
        using (var running = folder.LoadKey(KeyPassword))
            Assert.Equal(second.ExportSubjectPublicKeyInfo(), running.ExportSubjectPublicKeyInfo());
        using var stored = Pkcs12Backup.Import(File.ReadAllBytes(folder.KeyStoreFile), StorePassword);
        Assert.Equal(renewed.RawData, stored.Certificate.RawData);
        Assert.False(PluginConfigFile.PointTo(plugin, folder), "same folder, same names: the plug-in file needs no change");
    }

    [Fact]
    public void A_certificate_for_neither_key_is_refused_and_nothing_is_written()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var key = ApplicantKey.Generate();
        folder.PrepareRequest(key);
        using var stranger = ApplicantKey.Generate();
        using var certificate = issuer.Issue(SigningRequest.CreateDer(stranger));
        Assert.Throws<KeyFileException>(() => folder.Install(certificate.RawData, issuer.ChainDer));
        Assert.False(File.Exists(folder.CertificatePemFile));
        Assert.True(File.Exists(folder.PendingKeyFile));
    }

    [Fact]
    public void A_key_store_in_place_is_not_left_stale_when_no_password_is_given()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var key = ApplicantKey.Generate();
        using var certificate = issuer.Issue(folder.PrepareRequest(key));
        folder.Install(certificate.RawData, issuer.ChainDer, keyStorePassword: StorePassword);
        var refused = Assert.Throws<KeyFileException>(() => folder.Install(certificate.RawData, issuer.ChainDer));
        Assert.Contains("keystore.p12", refused.Message);
    }

    [Fact]
    public void A_folder_restored_from_a_backup_holds_the_same_certificate_and_key()
    {
        var original = new CertificateFolder(temp.At("old-machine"));
        using var key = ApplicantKey.Generate(KeyType.Rsa3072);
        using var certificate = issuer.Issue(original.PrepareRequest(key));
        original.Install(certificate.RawData, issuer.ChainDer, keyStorePassword: StorePassword);

        var restored = new CertificateFolder(temp.At("new-machine"));
        var backup = File.ReadAllBytes(original.KeyStoreFile);
        Assert.Throws<KeyFileException>(() => restored.InstallFromBackup(backup, "wrong", KeyPassword));
        Assert.False(Directory.Exists(restored.Path) && Directory.EnumerateFiles(restored.Path).Any());

        restored.InstallFromBackup(backup, StorePassword, KeyPassword);
        using var restoredKey = restored.LoadKey(KeyPassword);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), restoredKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(File.ReadAllBytes(original.FullChainPemFile), File.ReadAllBytes(restored.FullChainPemFile));
        using var certificateBack = restored.LoadCertificate();
        Assert.Equal(certificate.RawData, certificateBack.RawData);
    }

    [Fact]
    public void Deleting_removes_the_layout_files_and_leaves_other_files_and_their_folder()
    {
        var folder = new CertificateFolder(temp.At("cert"));
        using var key = ApplicantKey.Generate();
        using var certificate = issuer.Issue(folder.PrepareRequest(key));
        folder.Install(certificate.RawData, issuer.ChainDer, keyStorePassword: StorePassword);
        var other = Path.Combine(folder.Path, "notes.txt");
        File.WriteAllText(other, "mine");

        folder.Delete();
        Assert.All(folder.AllFiles, f => Assert.False(File.Exists(f), f));
        Assert.True(File.Exists(other));
        File.Delete(other);
        folder.Delete();
        Assert.False(Directory.Exists(folder.Path));
    }
}
