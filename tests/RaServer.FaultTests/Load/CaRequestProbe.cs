using Dapper;
using Npgsql;

namespace RaServer.FaultTests.Load;

/// <summary>Reads, from the database, how many CA requests a dispatcher holds right now (leased and not completed).</summary>
public static class CaRequestProbe
{
    public static async Task<long> LeasedAsync(NpgsqlConnection connection) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM ca_requests WHERE completed_at IS NULL AND lease_token IS NOT NULL");

    /// <summary>Polls until some request is leased (true), or <paramref name="timeout"/> passes (false).</summary>
    public static async Task<bool> WaitUntilLeasedAsync(NpgsqlConnection connection, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await LeasedAsync(connection) > 0)
                return true;
            await Task.Delay(2);
        }
        return false;
    }
}
