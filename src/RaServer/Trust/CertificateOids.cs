namespace RaServer.Trust;

/// <summary>OIDs the verifier reads besides the government ones of <see cref="CaConnector.GovernmentOids"/>.</summary>
internal static class CertificateOids
{
    public const string CommonName = "2.5.4.3";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";

    public const string CrlNumber = "2.5.29.20";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string AuthorityKeyIdentifier = "2.5.29.35";

    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    public const string MessageDigestAttribute = "1.2.840.113549.1.9.4";
    public const string SigningTimeAttribute = "1.2.840.113549.1.9.5";
}
