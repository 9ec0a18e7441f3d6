namespace CaConnector;

/// <summary>Object identifiers the profiles write; the same ones the RA reads from MOEACA/MOICA certificates (DOMAIN.md).</summary>
public static class ProfileOids
{
    public const string SubjectSerialNumber = "2.5.4.5";
    public const string SubjectDirectoryAttributes = "2.5.29.9";

    /// <summary>The company's Unified Business Number (統一編號), as MOEACA writes it.</summary>
    public const string Ubn = "2.16.886.1.100.2.101";

    /// <summary>Last four digits of the holder's national ID, as MOICA writes it.</summary>
    public const string IdLastFour = "2.16.886.1.100.2.51";
}
