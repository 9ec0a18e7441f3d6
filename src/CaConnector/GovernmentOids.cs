namespace CaConnector;

/// <summary>
/// Where Taiwan's government CAs put a holder's identifiers in an end-entity certificate (docs/DOMAIN.md). One set for
/// every writer and reader: the embedded CA writes this layout, the dev PKI imitates it and the RA reads it, so
/// none can drift from the others.
/// </summary>
public static class GovernmentOids
{
    /// <summary>Subject serialNumber (X.520); MOEACA certificates and the customs profiles repeat the UBN there.</summary>
    public const string SubjectSerialNumber = "2.5.4.5";

    /// <summary>subjectDirectoryAttributes (RFC 5280 4.2.1.8); the government CAs keep identifiers in it.</summary>
    public const string SubjectDirectoryAttributes = "2.5.29.9";

    /// <summary>MOEACA: the company's Unified Business Number (統一編號), PrintableString.</summary>
    public const string Ubn = "2.16.886.1.100.2.101";

    /// <summary>MOICA: the last four digits of the holder's national ID, PrintableString.</summary>
    public const string IdLastFour = "2.16.886.1.100.2.51";

    /// <summary>GCA / XCA: the organisation identifier, PrintableString.</summary>
    public const string OrganizationId = "2.16.886.1.100.2.102";
}
