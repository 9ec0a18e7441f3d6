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
    public async Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken ct)
    {
        var detail = JsonSerializer.Serialize(new { message = refusal.Message, fields = refusal.Fields });
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (occurred_at, actor, rpc, outcome, reason, detail)
            VALUES (@At, @Actor, @Rpc, 'REFUSED', @Reason, @Detail::jsonb)
            """,
            new { At = clock.GetUtcNow(), refusal.Actor, refusal.Rpc, refusal.Reason, Detail = detail },
            cancellationToken: ct));
    }
}
