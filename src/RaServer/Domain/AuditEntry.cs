namespace RaServer.Domain;

/// <summary>
/// A sealed row of the audit log as its hash chain covers it. <see cref="Detail"/> is the jsonb as PostgreSQL prints
/// it (its own normal form), so the text that was hashed is the text any later read gets back.
/// </summary>
public sealed record AuditEntry(
    long Position, long Id, DateTimeOffset OccurredAt, string Actor, string Rpc, string Outcome, string? Reason,
    string? Detail, Guid? RefusalId, byte[] PrevHash, byte[] RowHash);

/// <summary>A row of the log before the sealer has chained it: what the hash covers, without the chain fields.</summary>
public sealed record UnsealedAuditRow(
    long Id, DateTimeOffset OccurredAt, string Actor, string Rpc, string Outcome, string? Reason, string? Detail, Guid? RefusalId);

/// <summary>A signed statement that the chain's row at <see cref="Position"/> has the hash <see cref="HeadHash"/>.</summary>
public sealed record AuditCheckpoint(long Position, byte[] HeadHash, DateTimeOffset SignedAt, byte[] Signature, byte[] SignerCertificate);
