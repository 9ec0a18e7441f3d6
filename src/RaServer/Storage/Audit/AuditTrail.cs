using System.Text.Json;
using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>Audit rows for accepted changes, written in the transaction of the change itself.</summary>
public sealed class AuditTrail(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    public Task RecordAcceptedAsync(
        string actor, string rpc, object detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (occurred_at, actor, rpc, outcome, detail) VALUES (@now, @actor, @rpc, 'OK', @detail::jsonb)",
            new { now, actor, rpc, detail = JsonSerializer.Serialize(detail) }, tx, cancellationToken: ct));
}
