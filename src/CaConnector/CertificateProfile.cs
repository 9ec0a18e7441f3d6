using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>The two kinds of customs-dedicated certificate (docs/DOMAIN.md).</summary>
public enum CertificateKind
{
    /// <summary>專責報關人員: a licensed customs broker, working for a firm.</summary>
    Personal,

    /// <summary>連線業者: a connected operator (company).</summary>
    Organization,

    /// <summary>Requested by a third-party CMP client: the subject is the CSR's own (see <see cref="CertificateProfile.FromCmpRequest"/>).</summary>
    CmpRequest,
}

/// <summary>
/// Who a certificate is for: the subject and identifiers taken from the approved application, never from the CSR.
/// The RA decides it and sends it with every <see cref="CaIssueRequest"/>; the CA only signs. Build one with <see cref="Personal"/> or <see cref="Organization"/>; both validate their input and throw
/// <see cref="ArgumentException"/> on anything the certificate must not carry.
/// </summary>
public sealed record CertificateProfile
{
    private CertificateProfile(CertificateKind kind, X500DistinguishedName subject, IReadOnlyList<DirectoryAttribute> attributes)
    {
        Kind = kind;
        Subject = subject;
        DirectoryAttributes = attributes;
    }

    public CertificateKind Kind { get; }

    /// <summary>The subject DN as it goes into the certificate.</summary>
    public X500DistinguishedName Subject { get; }

    /// <summary>Identifiers in subjectDirectoryAttributes (2.5.29.9), the MOEACA/MOICA layout relying parties already read.</summary>
    public IReadOnlyList<DirectoryAttribute> DirectoryAttributes { get; }

    /// <summary>
    /// 專責報關人員: C=TW, O=firm, CN=person, serialNumber=firm UBN; the last four ID digits under
    /// 2.16.886.1.100.2.51 (as MOICA) and the firm's UBN under 2.16.886.1.100.2.101 (as MOEACA).
    /// </summary>
    public static CertificateProfile Personal(string firmName, string personName, string firmUbn, string idLastFour)
    {
        RequireName(firmName, nameof(firmName));
        RequireName(personName, nameof(personName));
        RequireDigits(firmUbn, 8, nameof(firmUbn));
        RequireDigits(idLastFour, 4, nameof(idLastFour));
        // The builder writes the last RDN added first in the DER, so the name is added from its least significant end.
        var subject = new X500DistinguishedNameBuilder();
        subject.Add(GovernmentOids.SubjectSerialNumber, firmUbn, UniversalTagNumber.PrintableString);
        subject.AddCommonName(personName);
        subject.AddOrganizationName(firmName);
        subject.AddCountryOrRegion("TW");
        return new CertificateProfile(CertificateKind.Personal, subject.Build(),
            [new(GovernmentOids.IdLastFour, idLastFour), new(GovernmentOids.Ubn, firmUbn)]);
    }

    /// <summary>連線業者: C=TW, O=name, serialNumber=UBN, and the UBN under 2.16.886.1.100.2.101.</summary>
    public static CertificateProfile Organization(string name, string ubn)
    {
        RequireName(name, nameof(name));
        RequireDigits(ubn, 8, nameof(ubn));
        var subject = new X500DistinguishedNameBuilder();
        subject.Add(GovernmentOids.SubjectSerialNumber, ubn, UniversalTagNumber.PrintableString);
        subject.AddOrganizationName(name);
        subject.AddCountryOrRegion("TW");
        return new CertificateProfile(CertificateKind.Organization, subject.Build(), [new(GovernmentOids.Ubn, ubn)]);
    }

    /// <summary>
    /// Only for the raw CMP endpoint, where a third-party client sends a bare p10cr and no approved application
    /// exists: the CSR's subject is taken as it is and no identifiers are added. The RA never uses this; it calls
    /// the in-process API with <see cref="Personal"/> or <see cref="Organization"/>.
    /// </summary>
    public static CertificateProfile FromCmpRequest(X500DistinguishedName csrSubject)
    {
        if (csrSubject.RawData.Length <= 2)
            throw new ArgumentException("A CMP request needs a non-empty subject.", nameof(csrSubject));
        return new CertificateProfile(CertificateKind.CmpRequest, csrSubject, []);
    }

    private static void RequireName(string value, string parameter)
    {
        // ub-organization-name / ub-common-name are 64 characters (RFC 5280 Appendix A).
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64 || value != value.Trim() || value.Any(char.IsControl))
            throw new ArgumentException($"{parameter} must be 1-64 characters without surrounding spaces or control characters.", parameter);
    }

    private static void RequireDigits(string value, int length, string parameter)
    {
        if (value is null || value.Length != length || !value.All(char.IsAsciiDigit))
            throw new ArgumentException($"{parameter} must be exactly {length} ASCII digits.", parameter);
    }
}

/// <summary>One subjectDirectoryAttributes entry: an attribute type and its PrintableString value.</summary>
public sealed record DirectoryAttribute(string Oid, string Value);
