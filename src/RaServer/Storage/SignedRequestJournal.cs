using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// The replay journal of signed requests (table signed_requests). A request id is claimed inside the
/// transaction that does the request's work: a concurrent duplicate blocks on the uncommitted row, and a
/// refused request rolls back its claim, so only answered requests are remembered.
/// </summary>
public sealed class SignedRequestJournal(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>What an earlier request with the same id left behind.</summary>
    public sealed record PriorRequest(byte[] PayloadSha256, string Rpc, byte[]? Response);

    /// <summary>Claims the id; returns null when it is new, else what the earlier request stored.</summary>
    public async Task<PriorRequest?> ClaimAsync(
        string requestId, byte[] payloadSha256, string rpc,
        DateTimeOffset now, CancellationToken ct)
    {
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO signed_requests (request_id, payload_sha256, rpc, created_at)
            VALUES (@requestId, @payloadSha256, @rpc, @now)
            ON CONFLICT (request_id) DO NOTHING
            """,
            new { requestId, payloadSha256, rpc, now }, tx, cancellationToken: ct));
        if (claimed == 1)
            return null;
        return await connection.QuerySingleAsync<PriorRequest>(new CommandDefinition(
            "SELECT payload_sha256 AS PayloadSha256, rpc AS Rpc, response AS Response FROM signed_requests WHERE request_id = @requestId",
            new { requestId }, tx, cancellationToken: ct));
    }

    public Task StoreResponseAsync(
        string requestId, byte[] response, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE signed_requests SET response = @response WHERE request_id = @requestId",
            new { requestId, response }, tx, cancellationToken: ct));
}
