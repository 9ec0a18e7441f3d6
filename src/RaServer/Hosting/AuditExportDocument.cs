using System.Text.Json;
using RaServer.Domain;

namespace RaServer.Hosting;

/// <summary>
/// What `RaServer audit export` writes: the sealed rows of a time window with what proves them without the database:
/// the hash of the row before the first one, the rows from the window's first chain position up to the first signed
/// checkpoint at or after its last (so a few rows outside the window may be included: the chain needs them), those
/// checkpoints, and the signer's certificate. `RaServer audit verify --file` checks it offline.
/// </summary>
/// <param name="WindowLastPosition">The last position written inside [From, To); later rows lead up to the checkpoint.</param>
public sealed record AuditExportDocument(
    string Format, DateTimeOffset From, DateTimeOffset To, long FirstPosition, long WindowLastPosition, byte[] PreviousHash,
    IReadOnlyList<AuditEntry> Rows, IReadOnlyList<AuditCheckpoint> Checkpoints, string SignerCertificatePem)
{
    public const string CurrentFormat = "ra-audit-export-v1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
