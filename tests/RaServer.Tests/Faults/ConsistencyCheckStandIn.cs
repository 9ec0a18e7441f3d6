using Dapper;
using Npgsql;

namespace RaServer.Tests.Faults;

/// <summary>The shape of the product's `RaServer check` counts (RaServer.Storage.ConsistencyCheck), until it is merged.</summary>
public sealed record ConsistencyCounts(long ApplicationsIssuedTwice, long CaCertificatesUnknownToRa, long OpenCaRequests, long UnsentMail);

/// <summary>Stand-in for RaServer.Storage.ConsistencyCheck until it is on main; the same four counts.</summary>
public static class ConsistencyCheck
{
    public static Task<ConsistencyCounts> ReadAsync(NpgsqlConnection connection, CancellationToken ct) =>
        connection.QuerySingleAsync<ConsistencyCounts>(new CommandDefinition(
            """
            SELECT
              (SELECT count(*) FROM (SELECT issued_for_application FROM certificates WHERE issued_for_application IS NOT NULL
                                     GROUP BY issued_for_application HAVING count(*) > 1) twice) AS ApplicationsIssuedTwice,
              (SELECT count(*) FROM embedded_ca_certificates c
                 WHERE NOT EXISTS (SELECT 1 FROM certificates r WHERE lower(r.serial_hex) = lower(ltrim(encode(c.serial, 'hex'), '0')))) AS CaCertificatesUnknownToRa,
              (SELECT count(*) FROM ca_requests WHERE completed_at IS NULL) AS OpenCaRequests,
              (SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL) AS UnsentMail
            """, cancellationToken: ct));
}
