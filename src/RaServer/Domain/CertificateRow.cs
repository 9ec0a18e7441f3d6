using RaServer.Api;
using RaServer.Storage;
using RaServer.Workflow;
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
    public string? RegisteredFirmUbn { get; init; }

    internal const string Columns = """
        c.serial_hex AS SerialHex, c.kind AS Kind, c.state AS State, c.holder_national_id AS HolderNationalId,
        c.holder_name AS HolderName, c.firm_ubn AS FirmUbn, c.owner_ubn AS OwnerUbn, c.owner_national_id AS OwnerNationalId,
        c.not_before AS NotBefore, c.not_after AS NotAfter, c.der AS Der, c.chain_der AS ChainDer,
        c.issued_for_application AS IssuedForApplication, c.renews_serial_hex AS RenewsSerialHex,
        (SELECT r.serial_hex FROM certificates r WHERE r.renews_serial_hex = c.serial_hex) AS RenewedBySerialHex,
        c.revocation_reason AS RevocationReason, c.registered_firm_ubn AS RegisteredFirmUbn
        """;
}
