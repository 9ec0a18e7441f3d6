namespace RaServer.Domain;

/// <summary>One row of the RA's certificates table.</summary>
public sealed record CertificateRow
{
    public required string SerialHex { get; init; }
    public required string Kind { get; init; }
    public required string State { get; init; }
    public string? HolderNationalId { get; init; }
    public required string HolderName { get; init; }
    public required string FirmUbn { get; init; }
    public string? OwnerUbn { get; init; }
    public string? OwnerNationalId { get; init; }
    public required DateTime NotBefore { get; init; }
    public required DateTime NotAfter { get; init; }
    public byte[]? Der { get; init; }
    public byte[][]? ChainDer { get; init; }
    public Guid? IssuedForApplication { get; init; }
    public string? RenewsSerialHex { get; init; }
    public string? RenewedBySerialHex { get; init; }
    public int? RevocationReason { get; init; }

    /// <summary>When the CA's answer to a hold, release or revocation last set <see cref="State"/>; null when it never changed.</summary>
    public DateTime? StateChangedAt { get; init; }
    public string? RegisteredFirmUbn { get; init; }
}
