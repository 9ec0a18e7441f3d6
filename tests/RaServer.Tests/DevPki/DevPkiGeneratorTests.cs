using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using Ra.DevPki;

namespace RaServer.Tests.DevPkiTests;

public sealed class DevPkiGeneratorTests(GeneratedPkiFixture fixture) : IClassFixture<GeneratedPkiFixture>
{
    private Ra.DevPki.DevPki Pki => fixture.Pki;

    [Fact]
    public void Every_file_the_pki_describes_is_written()
    {
        foreach (var file in Pki.AllFiles())
            Assert.True(new FileInfo(file).Length > 0, file);
        Assert.True(Ra.DevPki.DevPki.IsComplete(fixture.Folder));
    }

    [Fact]
    public void The_root_says_it_is_a_test_root_and_the_issuing_cas_carry_the_government_names()
    {
        using var root = X509CertificateLoader.LoadCertificateFromFile(Pki.CaCertificate(DevCa.Grca));
        Assert.Contains("O=Government Root Certification Authority", root.Subject);
        Assert.Contains("OU=RaBackend Dev Test", root.Subject);
        using var moeaca = X509CertificateLoader.LoadCertificateFromFile(Pki.CaCertificate(DevCa.Moeaca));
        Assert.Contains("OU=工商憑證管理中心", moeaca.Subject);
        Assert.Contains("O=行政院", moeaca.Subject);
        Assert.Contains("RaBackend Dev Test", moeaca.Subject);
        // C comes first in DER, as in the real government certificates (openssl prints it first).
        Assert.StartsWith("subject=C = TW, O = ", OpenSsl.Succeed("x509", "-in", Pki.CaCertificate(DevCa.Moica), "-noout", "-subject"));
    }

    [Fact]
    public void Every_signing_identity_and_client_chains_to_its_root()
    {
        using var root = X509CertificateLoader.LoadCertificateFromFile(Pki.CaCertificate(DevCa.Grca));
        var intermediates = Pki.IntermediateFiles.Select(f => X509CertificateLoader.LoadCertificateFromFile(f)).ToList();
        var leaves = new[] { Pki.CompanyP12, Pki.BrokerP12 }.Concat(DevClient.All.Select(Pki.ClientP12));
        foreach (var p12 in leaves)
        {
            using var leaf = Ra.DevPki.DevPki.LoadP12(p12);
            Assert.True(leaf.HasPrivateKey, p12);
            AssertChains(leaf, root, intermediates);
        }

        using var tlsCa = X509CertificateLoader.LoadCertificateFromFile(Pki.TlsCaCertificate);
        using var server = X509Certificate2.CreateFromPemFile(Pki.TlsServerCertificate, Pki.TlsServerKey);
        AssertChains(server, tlsCa, []);
    }

    [Fact]
    public void The_company_certificate_carries_its_ubn_in_the_extension_and_the_subject()
    {
        using var company = Ra.DevPki.DevPki.LoadP12(Pki.CompanyP12);
        Assert.Equal("04595252", DirectoryAttributes.Read(company)[GovernmentOids.Ubn]);
        Assert.Equal("04595252", DirectoryAttributes.SubjectAttribute(company, "2.5.4.5"));
        Assert.Equal("測試報關股份有限公司", DirectoryAttributes.SubjectAttribute(company, "2.5.4.10"));
        Assert.Equal(2048, company.GetRSAPublicKey()!.KeySize);
        var usage = company.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, usage);
        Assert.Contains("工商憑證管理中心", company.Issuer);
        Assert.NotNull(company.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().SingleOrDefault());
        Assert.NotNull(company.Extensions["2.5.29.31"]); // CRL distribution point
    }

    [Fact]
    public void The_broker_certificate_carries_the_last_four_id_digits_and_the_name()
    {
        using var broker = Ra.DevPki.DevPki.LoadP12(Pki.BrokerP12);
        Assert.Equal("6789", DirectoryAttributes.Read(broker)[GovernmentOids.IdLastFour]);
        Assert.Equal("測試人員", broker.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Contains("內政部憑證管理中心", broker.Issuer);
    }

    [Fact]
    public void The_tls_certificate_names_localhost_and_the_loopback_address_for_server_auth()
    {
        var text = OpenSsl.Succeed("x509", "-in", Pki.TlsServerCertificate, "-noout", "-ext", "subjectAltName,extendedKeyUsage");
        Assert.Contains("DNS:localhost", text);
        Assert.Contains("IP Address:127.0.0.1", text);
        Assert.Contains("TLS Web Server Authentication", text);
    }

    [Fact]
    public void Client_certificates_are_gca_issued_for_client_auth_and_the_officer_names_its_office()
    {
        foreach (var client in DevClient.All)
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(Pki.ClientCertificate(client));
            Assert.Equal(client.CommonName, certificate.GetNameInfo(X509NameType.SimpleName, false));
            Assert.Contains("政府憑證管理中心", certificate.Issuer);
            var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
            Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == ExtendedKeyUsageOids.ClientAuth);
        }
        using var officer = X509CertificateLoader.LoadCertificateFromFile(Pki.ClientCertificate(DevClient.All[0]));
        Assert.Equal("AA", DirectoryAttributes.SubjectAttribute(officer, "2.5.4.11"));
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(Pki.ClientCaBundle);
        Assert.Equal(2, bundle.Count);
    }

    [Fact]
    public void Openssl_verifies_every_leaf_against_root_and_issuing_ca()
    {
        var root = Pki.CaCertificate(DevCa.Grca);
        using var folder = new TempFolder();
        foreach (var (p12, ca) in new[] { (Pki.CompanyP12, DevCa.Moeaca), (Pki.BrokerP12, DevCa.Moica) })
        {
            using var leaf = Ra.DevPki.DevPki.LoadP12(p12);
            var pem = folder.File(Path.GetFileName(p12) + ".pem");
            File.WriteAllText(pem, leaf.ExportCertificatePem());
            var output = OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", Pki.CaCertificate(ca), pem);
            Assert.Contains(": OK", output);
        }
        foreach (var client in DevClient.All)
            OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", Pki.CaCertificate(DevCa.Gca), Pki.ClientCertificate(client));
        OpenSsl.Succeed("verify", "-CAfile", Pki.TlsCaCertificate, "-purpose", "sslserver", Pki.TlsServerCertificate);
    }

    [Fact]
    public void Openssl_verifies_every_crl_signature_and_sees_number_one_and_no_entries()
    {
        foreach (var ca in new[] { DevCa.Grca, DevCa.Moeaca, DevCa.Moica, DevCa.Gca })
        {
            var result = OpenSsl.Run("crl", "-in", Pki.Crl(ca), "-inform", "DER", "-CAfile", Pki.CaCertificate(ca), "-noout", "-crlnumber", "-text");
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("verify OK", result.Error + result.Output);
            Assert.Contains("No Revoked Certificates", result.Output);
            CertificateRevocationListBuilder.Load(File.ReadAllBytes(Pki.Crl(ca)), out var number);
            Assert.Equal(BigInteger.One, number);
        }
    }

    [Fact]
    public void A_reissued_crl_lists_the_revoked_serial_and_verifies()
    {
        using var folder = new TempFolder();
        var copy = folder.File("pki");
        CopyDirectory(fixture.Folder, copy);
        var pki = Ra.DevPki.DevPki.Load(copy);
        using var company = Ra.DevPki.DevPki.LoadP12(pki.CompanyP12);
        var now = DateTimeOffset.UtcNow;

        pki.ReissueCrl(DevCa.Moeaca, [RevokedEntry.For(company, now, X509RevocationReason.KeyCompromise)], 7, now, now.AddDays(1));

        var text = OpenSsl.Succeed("crl", "-in", pki.Crl(DevCa.Moeaca), "-inform", "DER", "-CAfile", pki.CaCertificate(DevCa.Moeaca), "-noout", "-text");
        Assert.Contains(company.SerialNumber, text.Replace(":", "").ToUpperInvariant());
        Assert.Contains("Key Compromise", text);
        CertificateRevocationListBuilder.Load(File.ReadAllBytes(pki.Crl(DevCa.Moeaca)), out var number);
        Assert.Equal(new BigInteger(7), number);
    }

    [Fact]
    public async Task Generating_again_into_a_complete_folder_keeps_every_file()
    {
        var before = Pki.AllFiles().ToDictionary(f => f, File.ReadAllBytes);

        var again = await DevPkiGenerator.GenerateAsync(fixture.Folder);

        Assert.Equal(Pki.Folder, again.Folder);
        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public async Task A_folder_with_a_missing_file_is_generated_anew()
    {
        using var folder = new TempFolder();
        var copy = folder.File("pki");
        CopyDirectory(fixture.Folder, copy);
        File.Delete(Path.Combine(copy, "identities", "broker.p12"));
        Assert.Throws<FileNotFoundException>(() => Ra.DevPki.DevPki.Load(copy));

        var pki = await DevPkiGenerator.GenerateAsync(copy);

        Assert.True(File.Exists(pki.BrokerP12));
        Assert.NotEqual(File.ReadAllBytes(fixture.Pki.CaCertificate(DevCa.Grca)), File.ReadAllBytes(pki.CaCertificate(DevCa.Grca)));
    }

    private static void AssertChains(X509Certificate2 leaf, X509Certificate2 root, IEnumerable<X509Certificate2> intermediates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        Assert.True(chain.Build(leaf), $"{leaf.Subject}: {string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation))}");
        Assert.Equal(root.RawData, chain.ChainElements[^1].Certificate.RawData);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
