using Dapper;
using Npgsql;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// Closes or reopens one database to new connections and ends its open ones (57P01), from another connection: what a
/// database shutdown or failover looks like from a server's side, without touching the cluster other tests share.
/// </summary>
public static class DatabaseGate
{
    public static async Task SetAcceptingAsync(string connectionString, bool accepting)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.ExecuteAsync($"ALTER DATABASE {database} WITH ALLOW_CONNECTIONS {(accepting ? "true" : "false")}");
        if (!accepting)
            await connection.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()",
                new { database });
    }
}
