using System.Text.Json;
using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>Audit rows for accepted changes, written in the transaction of the change itself.</summary>
internal static class AuditRows
{
    public static Task RecordAcceptedAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string actor, string rpc, object detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (occurred_at, actor, rpc, outcome, detail) VALUES (@now, @actor, @rpc, 'OK', @detail::jsonb)",
            new { now, actor, rpc, detail = JsonSerializer.Serialize(detail) }, tx, cancellationToken: ct));
}
