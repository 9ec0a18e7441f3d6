using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// What an operator (and the fault tests) reconcile after an incident. The first two must always be zero: a second
/// certificate for one application, or a certificate the embedded CA signed that the RA has no record of, means a
/// duplicate issuance or a lost outcome. The queue counts are normal while work is in flight and must return to zero
/// once the CA and SMTP are reachable; their ages say how long the oldest item has waited.
/// </summary>
public sealed record ConsistencyCounts(
    long ApplicationsIssuedTwice,
    long CaCertificatesUnknownToRa,
    long OpenCaRequests,
    long UnsentMail,
    TimeSpan? OldestOpenCaRequestAge,
    TimeSpan? OldestUnsentMailAge)
{
    /// <summary>True when nothing was issued twice and every certificate the CA signed is known to the RA.</summary>
    public bool Intact => ApplicationsIssuedTwice == 0 && CaCertificatesUnknownToRa == 0;

    /// <summary>True when, in addition, no CA request and no mail is waiting.</summary>
    public bool Drained => Intact && OpenCaRequests == 0 && UnsentMail == 0;
}

public static class ConsistencyCheck
{
    /// <summary>The counts over a connection of its own, for the one-shot `RaServer check`.</summary>
    public static async Task<ConsistencyCounts> ReadAsync(string connectionString, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return await ReadAsync(connection, now, ct);
    }

    /// <summary>
    /// Reads the counts in one snapshot (one statement), so the numbers describe a single moment. Serials are compared
    /// without leading zeros: the RA stores the CA's hex as written, the embedded CA stores the bytes.
    /// </summary>
    public static async Task<ConsistencyCounts> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        var row = await connection.QuerySingleAsync<CountsRow>(new CommandDefinition(
            """
            SELECT
                (SELECT count(*) FROM (SELECT issued_for_application FROM certificates
                    WHERE issued_for_application IS NOT NULL GROUP BY issued_for_application HAVING count(*) > 1) twice)
                    AS ApplicationsIssuedTwice,
                (SELECT count(*) FROM embedded_ca_certificates e
                    WHERE NOT EXISTS (SELECT 1 FROM certificates c
                        WHERE ltrim(upper(c.serial_hex), '0') = ltrim(upper(encode(e.serial, 'hex')), '0')))
                    AS CaCertificatesUnknownToRa,
                (SELECT count(*) FROM ca_requests WHERE completed_at IS NULL) AS OpenCaRequests,
                (SELECT min(created_at) FROM ca_requests WHERE completed_at IS NULL) AS OldestOpenCaRequest,
                (SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL) AS UnsentMail,
                (SELECT min(created_at) FROM mail_outbox WHERE sent_at IS NULL) AS OldestUnsentMail
            """, cancellationToken: ct));
        return new ConsistencyCounts(row.ApplicationsIssuedTwice, row.CaCertificatesUnknownToRa, row.OpenCaRequests, row.UnsentMail,
            AgeAt(now, row.OldestOpenCaRequest), AgeAt(now, row.OldestUnsentMail));
    }

    private static TimeSpan? AgeAt(DateTimeOffset now, DateTime? since) =>
        since is { } utc ? now - new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;

    private sealed record CountsRow(
        long ApplicationsIssuedTwice, long CaCertificatesUnknownToRa, long OpenCaRequests, DateTime? OldestOpenCaRequest,
        long UnsentMail, DateTime? OldestUnsentMail);
}
