using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace RaServer.Storage;

/// <summary>The RA keeps all state in PostgreSQL: without it, it is not serving (grpc.health.v1 NOT_SERVING).</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e) || e is System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", e);
        }
    }
}
