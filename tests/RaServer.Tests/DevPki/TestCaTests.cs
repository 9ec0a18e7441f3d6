using System.Net;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using Microsoft.Extensions.Time.Testing;
using Ra.DevPki;

namespace RaServer.Tests.DevPkiTests;

public sealed class TestCaTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_p256_leaf_carries_the_requested_names_identifiers_and_validity()
    {
        using var root = TestCa.CreateRoot("C=TW, O=Test Root", new CaSpec { Key = KeyAlgorithm.EcdsaP256 }, new FakeTimeProvider(Now));
        using var gca = root.IssueSubCa("C=TW, O=行政院, OU=政府憑證管理中心", new CaSpec { Key = KeyAlgorithm.EcdsaP256, CrlUrl = "http://crl.test/gca.crl" });

        using var leaf = gca.IssueLeaf(new LeafSpec
        {
            SubjectDn = "C=TW, O=財政部關務署, CN=Clerk",
            OrganizationId = "2.16.886.101.20003",
            Key = KeyAlgorithm.EcdsaP256,
            NotBefore = Now.AddDays(-2),
            NotAfter = Now.AddDays(30),
            ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth],
            DnsNames = ["clerk.test"],
            IpAddresses = [IPAddress.Parse("10.0.0.7")],
        });

        Assert.True(leaf.HasPrivateKey);
        Assert.NotNull(leaf.GetECDsaPublicKey());
        Assert.Equal("2.16.886.101.20003", DirectoryAttributes.Read(leaf)[GovernmentOids.OrganizationId]);
        Assert.Equal(Now.AddDays(30).UtcDateTime, leaf.NotAfter.ToUniversalTime());
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(gca.KeyIdentifier, aki.KeyIdentifier!.Value.ToArray());
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("leaf.pem"), leaf.ExportCertificatePem());
        var text = OpenSsl.Succeed("x509", "-noout", "-ext", "subjectAltName,crlDistributionPoints", "-in", folder.File("leaf.pem"));
        Assert.Contains("DNS:clerk.test", text);
        Assert.Contains("IP Address:10.0.0.7", text);
        Assert.Contains("http://crl.test/gca.crl", text);
    }

    [Fact]
    public void A_subject_serial_number_is_the_last_rdn_and_a_leaf_may_outlive_its_ca()
    {
        using var root = TestCa.CreateRoot("C=TW, O=Test Root", new CaSpec { Key = KeyAlgorithm.EcdsaP256, NotAfter = Now.AddYears(1) }, new FakeTimeProvider(Now));

        using var leaf = root.IssueLeaf(new LeafSpec
        {
            SubjectDn = "C=TW, O=測試報關股份有限公司",
            SubjectSerialNumber = "04595252",
            NotAfter = Now.AddYears(3),
            Key = KeyAlgorithm.EcdsaP256,
        });

        var rdns = leaf.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false).Select(r => r.GetSingleElementType().Value).ToList();
        Assert.Equal(["2.5.4.6", "2.5.4.10", "2.5.4.5"], rdns);
        Assert.True(leaf.NotAfter > root.Certificate.NotAfter);
    }
}
