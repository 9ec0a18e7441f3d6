using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;

namespace CaConnector.Tests.EmbeddedCa;

public class CertificateProfileTests
{
    private static readonly CaLinks Links = CaLinks.Under(new Uri("http://127.0.0.1:8088"));

    public static TheoryData<string, string[], string[]> Subjects => new()
    {
        {
            "personal",
            ["C=TW", "O=測試報關股份有限公司", "CN=測試人員", "2.5.4.5=04595252"],
            [$"{GovernmentOids.IdLastFour}=6789", $"{GovernmentOids.Ubn}=04595252"]
        },
        {
            "organization",
            ["C=TW", "O=測試報關股份有限公司", "2.5.4.5=04595252"],
            [$"{GovernmentOids.Ubn}=04595252"]
        },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void The_subject_and_identifiers_come_from_the_approved_application_in_directory_order(string kind, string[] rdns, string[] attributes)
    {
        var profile = kind == "personal"
            ? CertificateProfile.Personal("測試報關股份有限公司", "測試人員", "04595252", "6789")
            : CertificateProfile.Organization("測試報關股份有限公司", "04595252");

        Assert.Equal(rdns, EncodedOrder(profile.Subject));
        Assert.Equal(attributes, profile.DirectoryAttributes.Select(a => $"{a.Oid}={a.Value}"));
    }

    public static TheoryData<string, string, string, string> BadPersonalInput => new()
    {
        { "", "測試人員", "04595252", "6789" },
        { "Firm", " 測試人員", "04595252", "6789" },
        { "Firm", "測試人員", "0459525", "6789" },
        { "Firm", "測試人員", "0459525A", "6789" },
        { "Firm", "測試人員", "04595252", "678" },
        { "Firm", "測試人員", "04595252", "６７８９" },
        { new string('x', 65), "測試人員", "04595252", "6789" },
        { "Firm\n", "測試人員", "04595252", "6789" },
    };

    [Theory]
    [MemberData(nameof(BadPersonalInput))]
    public void A_personal_profile_refuses_values_a_certificate_must_not_carry(string firm, string person, string ubn, string idLastFour)
    {
        Assert.Throws<ArgumentException>(() => CertificateProfile.Personal(firm, person, ubn, idLastFour));
    }

    [Theory]
    [InlineData("", "04595252")]
    [InlineData("Firm", "4595252")]
    [InlineData("Firm", "045952521")]
    public void An_organization_profile_refuses_a_missing_name_or_a_ubn_that_is_not_eight_digits(string name, string ubn)
    {
        Assert.Throws<ArgumentException>(() => CertificateProfile.Organization(name, ubn));
    }

    [Fact]
    public void A_signing_certificate_gets_critical_key_usage_and_basic_constraints_and_links_to_its_ca()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subjectKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        var issuerKeyId = new X509SubjectKeyIdentifierExtension(new CertificateRequest("CN=ca", issuerKey, HashAlgorithmName.SHA256).PublicKey, false);

        var extensions = CertificateExtensions.For(CertificateProfile.Organization("Firm", "04595252"), subjectKey, issuerKeyId, Links);

        var basic = extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(basic.Critical);
        Assert.False(basic.CertificateAuthority);
        var usage = extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, usage.KeyUsages);
        Assert.Equal(new X509SubjectKeyIdentifierExtension(subjectKey, false).SubjectKeyIdentifier,
            extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.Equal(issuerKeyId.SubjectKeyIdentifierBytes.ToArray(),
            extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
        Assert.Equal(["http://127.0.0.1:8088/ca/customs-ca.crt"],
            extensions.OfType<X509AuthorityInformationAccessExtension>().Single().EnumerateCAIssuersUris());
        var crlDp = extensions.Single(e => e.Oid!.Value == "2.5.29.31");
        Assert.Contains("http://127.0.0.1:8088/crl/customs-ca.crl", System.Text.Encoding.ASCII.GetString(crlDp.RawData));
        Assert.DoesNotContain(extensions, e => e.Oid!.Value == "2.5.37.29"); // no EKU, like the government signing certificates
    }

    [Fact]
    public void The_identifiers_are_printable_strings_in_subject_directory_attributes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subjectKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        var issuerKeyId = new X509SubjectKeyIdentifierExtension(subjectKey, false);

        var extensions = CertificateExtensions.For(CertificateProfile.Personal("Firm", "Person", "04595252", "6789"), subjectKey, issuerKeyId, Links);

        var directory = extensions.Single(e => e.Oid!.Value == GovernmentOids.SubjectDirectoryAttributes);
        Assert.False(directory.Critical);
        var read = new List<string>();
        var outer = new AsnReader(directory.RawData, AsnEncodingRules.DER).ReadSequence();
        while (outer.HasData)
        {
            var attribute = outer.ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            read.Add($"{oid}={attribute.ReadSetOf().ReadCharacterString(UniversalTagNumber.PrintableString)}");
        }
        Assert.Equal([$"{GovernmentOids.IdLastFour}=6789", $"{GovernmentOids.Ubn}=04595252"], read);
    }

    /// <summary>The RDNs as the DER has them, first = most significant (the order openssl prints).</summary>
    private static List<string> EncodedOrder(X500DistinguishedName name)
    {
        var result = new List<string>();
        var rdns = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        while (rdns.HasData)
        {
            var attribute = rdns.ReadSetOf().ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            result.Add($"{Short(oid)}={attribute.ReadCharacterString(attribute.PeekTag().TagValue == (int)UniversalTagNumber.PrintableString ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String)}");
        }
        return result;
    }

    private static string Short(string oid) => oid switch
    {
        "2.5.4.6" => "C",
        "2.5.4.10" => "O",
        "2.5.4.3" => "CN",
        _ => oid,
    };
}
