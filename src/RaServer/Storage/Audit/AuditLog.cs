using System.Text.Json;
using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>What the audit trail keeps of a refused request: who, which RPC, and why. Never the payload.</summary>
public sealed record RefusalRecord(string Actor, string Rpc, string Reason, string Message, IReadOnlyList<string> Fields);

/// <summary>
/// A refusal on its way to the audit log: its own id, so that writing it twice (a replay of the pending journal after
/// a write whose answer was lost) leaves one row, and the time it was refused, not the time it was finally written.
/// </summary>
public sealed record PendingRefusal(Guid Id, DateTimeOffset RefusedAt, RefusalRecord Refusal);

public interface IAuditLog
{
    /// <summary>Records a refusal: written now, or kept by the server until it can be (see <see cref="QueuedRefusalLog"/>).</summary>
    Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken ct);
}

/// <summary>Writes refusal rows to PostgreSQL's audit_log table, each at most once.</summary>
public sealed class PostgresRefusalWriter(NpgsqlDataSource dataSource)
{
    /// <summary>Enough of any one text to read the row; a refusal's own record must not be the thing that fails.</summary>
    private const int MaxText = 2_000;

    /// <summary>Writes the row unless one with the same refusal id is there already; true when this call wrote it.</summary>
    public async Task<bool> WriteAsync(PendingRefusal pending, CancellationToken ct)
    {
        var refusal = pending.Refusal;
        var detail = JsonSerializer.Serialize(new { message = Storable(refusal.Message), fields = refusal.Fields.Select(Storable) });
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (occurred_at, actor, rpc, outcome, reason, detail, refusal_id)
            VALUES (@At, @Actor, @Rpc, 'REFUSED', @Reason, @Detail::jsonb, @Id)
            ON CONFLICT (refusal_id) DO NOTHING
            """,
            new
            {
                At = pending.RefusedAt, Actor = Storable(refusal.Actor), Rpc = Storable(refusal.Rpc),
                Reason = Storable(refusal.Reason), Detail = detail, pending.Id,
            },
            cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// PostgreSQL refuses U+0000 in text and jsonb, and what is refused may be a certificate's or a caller's text:
    /// it becomes U+FFFD, and over-long text is cut, so that recording a refusal never fails because of what was refused.
    /// </summary>
    internal static string Storable(string text)
    {
        // Never between the halves of a surrogate pair: Npgsql refuses to encode a lone one.
        var end = text.Length > MaxText && char.IsHighSurrogate(text[MaxText - 1]) ? MaxText - 1 : MaxText;
        var cut = text.Length > MaxText ? text[..end] + "…" : text;
        return cut.Replace('\0', '\uFFFD');
    }
}
