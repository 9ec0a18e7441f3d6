namespace RaServer.Domain;

/// <summary>
/// One government PKI certificate registered for Single Window use (table government_certificates): the certificate
/// as registered, who holds it and the firm it is currently registered for.
/// </summary>
public sealed record GovernmentCertificateRow
{
    /// <summary>SHA-256 of <see cref="Der"/>, upper-case hex: the key messages are matched by.</summary>
    public required string Sha256 { get; init; }
    public required byte[] Der { get; init; }
    public required GovernmentAuthority Authority { get; init; }
    public required string IssuerDn { get; init; }

    /// <summary>Key identifier of the issuing CA: which of the CRLs the RA keeps judges this certificate.</summary>
    public required string IssuerKeyId { get; init; }

    /// <summary>In the spelling of CaConnector.SerialNumbers, as the CRLs are read.</summary>
    public required string SerialHex { get; init; }
    public required string SubjectDn { get; init; }
    public required GovernmentHolderType HolderKind { get; init; }

    /// <summary>The holder's UBN; null for a <see cref="GovernmentHolderType.Person"/>.</summary>
    public string? HolderUbn { get; init; }

    /// <summary>The holder's full national ID, as the registrant proved it; only for a <see cref="GovernmentHolderType.Person"/>.</summary>
    public string? HolderNationalId { get; init; }
    public required string HolderName { get; init; }
    public required DateTime NotBefore { get; init; }
    public required DateTime NotAfter { get; init; }
    /// <summary>UTC, like every timestamp read from the database.</summary>
    public DateTimeOffset NotAfterUtc => new(DateTime.SpecifyKind(NotAfter, DateTimeKind.Utc));
    public required string RegisteredFirmUbn { get; init; }
    public required DateTime RegisteredAt { get; init; }
}
