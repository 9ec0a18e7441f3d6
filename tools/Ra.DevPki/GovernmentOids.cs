namespace Ra.DevPki;

/// <summary>
/// Object identifiers that Taiwan's government CAs put in their end-entity certificates (see docs/DOMAIN.md).
/// The RA's verifier reads the same OIDs; the dev PKI writes them so tests exercise the real layout.
/// </summary>
public static class GovernmentOids
{
    /// <summary>subjectDirectoryAttributes (RFC 5280 4.2.1.8); the government CAs keep identifiers in it.</summary>
    public const string SubjectDirectoryAttributes = "2.5.29.9";

    /// <summary>MOEACA: the company's Unified Business Number (統一編號), PrintableString.</summary>
    public const string Ubn = "2.16.886.1.100.2.101";

    /// <summary>MOICA: the last four digits of the holder's national ID, PrintableString.</summary>
    public const string IdLastFour = "2.16.886.1.100.2.51";

    /// <summary>GCA / XCA: the organisation identifier, PrintableString.</summary>
    public const string OrganizationId = "2.16.886.1.100.2.102";

    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}
