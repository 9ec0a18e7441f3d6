using System.Text.Json;
using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>What the audit trail keeps of a refused request: who, which RPC, and why. Never the payload.</summary>
public sealed record RefusalRecord(string Actor, string Rpc, string Reason, string Message, IReadOnlyList<string> Fields);

public interface IAuditLog
{
    Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken ct);
}

/// <summary>Writes audit rows to PostgreSQL's audit_log table.</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource, TimeProvider clock) : IAuditLog
{
    /// <summary>Enough of any one text to read the row; a refusal's own record must not be the thing that fails.</summary>
    private const int MaxText = 2_000;

    public async Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken ct)
    {
        var detail = JsonSerializer.Serialize(new { message = Storable(refusal.Message), fields = refusal.Fields.Select(Storable) });
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (occurred_at, actor, rpc, outcome, reason, detail)
            VALUES (@At, @Actor, @Rpc, 'REFUSED', @Reason, @Detail::jsonb)
            """,
            new { At = clock.GetUtcNow(), Actor = Storable(refusal.Actor), Rpc = Storable(refusal.Rpc), Reason = Storable(refusal.Reason), Detail = detail },
            cancellationToken: ct));
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
