using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ra.Client.Files;
using Ra.Client.Keys;

namespace Ra.Client.Tests.Files;

public sealed class Pkcs12BackupTests : IDisposable
{
    private const string Password = "backup pass 123";
    private readonly TempFolder folder = new();
    private readonly TestIssuer issuer = new();

    public void Dispose()
    {
        folder.Dispose();
        issuer.Dispose();
    }

    [Theory]
    [InlineData(KeyType.EcdsaP256)]
    [InlineData(KeyType.Rsa2048)]
    public void Openssl_3_without_legacy_reports_aes256_cbc_pbkdf2_sha256_and_finds_the_certificate_and_the_csr_key(KeyType type)
    {
        using var key = ApplicantKey.Generate(type);
        using var certificate = issuer.Issue(SigningRequest.CreateDer(key));
        var file = folder.At("backup.p12");
        File.WriteAllBytes(file, Pkcs12Backup.Export(certificate, key, [issuer.Issuing, issuer.Root], Password));

        var info = OpenSsl.Succeed("pkcs12", "-info", "-in", file, "-passin", $"pass:{Password}", "-noenc");
        Assert.Contains($"MAC: sha256, Iteration {Protection.Iterations}", info);
        Assert.Contains($"PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration {Protection.Iterations}, PRF hmacWithSHA256", info);
        Assert.Contains($"Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration {Protection.Iterations}, PRF hmacWithSHA256", info);
        Assert.DoesNotContain("3DES", info);
        Assert.DoesNotContain("RC2", info);
        // One key only: the test CAs carry their private keys, and none of them may travel with the backup.
        Assert.Single(info.Split("-----BEGIN PRIVATE KEY-----").Skip(1));

        var leafPem = OpenSsl.Succeed("pkcs12", "-in", file, "-passin", $"pass:{Password}", "-clcerts", "-nokeys");
        using var leaf = X509Certificate2.CreateFromPem(leafPem);
        Assert.Equal(certificate.RawData, leaf.RawData);

        var keyPem = OpenSsl.Succeed("pkcs12", "-in", file, "-passin", $"pass:{Password}", "-nocerts", "-noenc");
        var keyFile = folder.Write("extracted.key", keyPem);
        var publicKey = OpenSsl.Succeed("pkey", "-in", keyFile, "-pubout");
        Assert.Contains(PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo()), publicKey);

        var cas = OpenSsl.Succeed("pkcs12", "-in", file, "-passin", $"pass:{Password}", "-cacerts", "-nokeys");
        Assert.Equal(2, cas.Split("-----BEGIN CERTIFICATE-----").Length - 1);
    }

    [Fact]
    public void A_wrong_password_fails_in_openssl_and_in_the_sdk()
    {
        using var key = ApplicantKey.Generate();
        using var certificate = issuer.Issue(SigningRequest.CreateDer(key));
        var bytes = Pkcs12Backup.Export(certificate, key, [issuer.Issuing, issuer.Root], Password);
        var file = folder.At("backup.p12");
        File.WriteAllBytes(file, bytes);

        var openssl = OpenSsl.Run("pkcs12", "-info", "-in", file, "-passin", "pass:not it", "-noenc");
        Assert.NotEqual(0, openssl.ExitCode);
        Assert.Contains("Mac verify error", openssl.Error);

        var refused = Assert.Throws<KeyFileException>(() => Pkcs12Backup.Import(bytes, "not it"));
        Assert.Contains("password is wrong", refused.Message);
    }

    [Fact]
    public void Importing_a_backup_gives_back_the_certificate_the_key_and_the_chain_in_order()
    {
        using var key = ApplicantKey.Generate(KeyType.Rsa2048);
        using var certificate = issuer.Issue(SigningRequest.CreateDer(key));
        // Stored root first: the import still answers issuing CA first.
        var bytes = Pkcs12Backup.Export(certificate, key, [issuer.Root, issuer.Issuing], Password);

        using var contents = Pkcs12Backup.Import(bytes, Password);
        Assert.Equal(certificate.RawData, contents.Certificate.RawData);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), contents.Key.ExportSubjectPublicKeyInfo());
        Assert.Equal(KeyType.Rsa2048, contents.Key.Type);
        Assert.Equal([issuer.Issuing.RawData, issuer.Root.RawData], contents.Chain.Select(c => c.RawData));
    }

    [Fact]
    public void A_backup_made_by_openssl_is_imported_too()
    {
        // What another tool made (openssl 3's own defaults) opens as well, so `ra install --from-backup` takes it.
        using var key = ApplicantKey.Generate();
        using var certificate = issuer.Issue(SigningRequest.CreateDer(key));
        var keyFile = folder.Write("key.pem", key.ExportPkcs8Pem());
        var certFile = folder.Write("cert.pem", certificate.ExportCertificatePem());
        var chainFile = folder.Write("chain.pem", issuer.Issuing.ExportCertificatePem() + "\n" + issuer.Root.ExportCertificatePem());
        var p12 = folder.At("openssl.p12");
        OpenSsl.Succeed("pkcs12", "-export", "-inkey", keyFile, "-in", certFile, "-certfile", chainFile, "-out", p12, "-passout", $"pass:{Password}");

        using var contents = Pkcs12Backup.Import(File.ReadAllBytes(p12), Password);
        Assert.Equal(certificate.RawData, contents.Certificate.RawData);
        Assert.Equal(2, contents.Chain.Count);
    }

    [Fact]
    public void A_certificate_of_another_key_is_not_backed_up_with_this_one()
    {
        using var key = ApplicantKey.Generate();
        using var other = ApplicantKey.Generate();
        using var certificate = issuer.Issue(SigningRequest.CreateDer(other));
        Assert.Throws<KeyFileException>(() => Pkcs12Backup.Export(certificate, key, [], Password));
    }

    [Fact]
    public void Bytes_that_are_not_pkcs12_are_told_as_such()
    {
        var refused = Assert.Throws<KeyFileException>(() => Pkcs12Backup.Import("not a pfx"u8.ToArray(), Password));
        Assert.Equal("not a PKCS#12 file", refused.Message);
    }
}
