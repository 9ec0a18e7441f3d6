using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
namespace RaServer.Trust;

/// <summary>OIDs the verifier reads. The government ones are described in docs/DOMAIN.md.</summary>
internal static class CertificateOids
{
    public const string SubjectDirectoryAttributes = "2.5.29.9";
    public const string Ubn = "2.16.886.1.100.2.101";
    public const string IdLastFour = "2.16.886.1.100.2.51";
    public const string OrganizationId = "2.16.886.1.100.2.102";
    public const string SubjectSerialNumber = "2.5.4.5";
    public const string CommonName = "2.5.4.3";

    public const string CrlNumber = "2.5.29.20";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string AuthorityKeyIdentifier = "2.5.29.35";

    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    public const string MessageDigestAttribute = "1.2.840.113549.1.9.4";
    public const string SigningTimeAttribute = "1.2.840.113549.1.9.5";
}
