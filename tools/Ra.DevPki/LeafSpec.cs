using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Ra.DevPki;

/// <summary>What an end-entity certificate minted by <see cref="TestCa.IssueLeaf"/> should contain.</summary>
public sealed record LeafSpec
{
    /// <summary>Subject DN written most-significant first, as OpenSSL prints it: "C=TW, O=..., CN=...".</summary>
    public required string SubjectDn { get; init; }

    /// <summary>UBN written into subjectDirectoryAttributes under 2.16.886.1.100.2.101 (the MOEACA layout).</summary>
    public string? Ubn { get; init; }

    /// <summary>Subject serialNumber (2.5.4.5), appended as the last RDN; some MOEACA certificates repeat the UBN there.</summary>
    public string? SubjectSerialNumber { get; init; }

    /// <summary>MOICA: last four national-ID digits under 2.16.886.1.100.2.51.</summary>
    public string? IdLastFour { get; init; }

    /// <summary>GCA / XCA organisation identifier under 2.16.886.1.100.2.102.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Defaults to an hour before the CA's clock, so a freshly minted leaf is valid at once.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Defaults to five years after the CA's clock (the MOEACA and MOICA validity).</summary>
    public DateTimeOffset? NotAfter { get; init; }

    public X509KeyUsageFlags KeyUsage { get; init; } =
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;

    /// <summary>Extended key usage OIDs; none means no EKU extension (as on the government signing certificates).</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public KeyAlgorithm Key { get; init; } = KeyAlgorithm.Rsa2048;
}
