using System.Globalization;
using Dapper;
using Npgsql;
using RaServer.Trust;

using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// The crls table (db/migrations/0004_crls.sql): the newest CRL any replica has seen, per issuing CA. Shared by the
/// keeper of the trust anchors' CRLs and the keeper of the customs CA's CRL; each reads only its own issuers' rows.
/// </summary>
public sealed class CrlTable(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<byte[]>> LoadAsync(IReadOnlyCollection<string> issuerKeyIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT der FROM crls WHERE issuer_key_id = ANY(@issuerKeyIds)",
            new { issuerKeyIds = issuerKeyIds.ToArray() },
            cancellationToken: ct))).ToList();
    }

    public async Task SaveAsync(CrlStatus status, byte[] der, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO crls (issuer_key_id, issuer_name, crl_number, this_update, next_update, der, fetched_at)
            VALUES (@IssuerKeyId, @IssuerDn, @number::numeric, @ThisUpdate, @NextUpdate, @der, @now)
            ON CONFLICT (issuer_key_id) DO UPDATE SET
                issuer_name = excluded.issuer_name, crl_number = excluded.crl_number, this_update = excluded.this_update,
                next_update = excluded.next_update, der = excluded.der, fetched_at = excluded.fetched_at
            WHERE crls.crl_number < excluded.crl_number -- a replica never pushes the table back to an older CRL
            """,
            new
            {
                status.IssuerKeyId, status.IssuerDn, number = status.CrlNumber.ToString(CultureInfo.InvariantCulture), status.ThisUpdate, status.NextUpdate,
                der, now,
            },
            cancellationToken: ct));
    }
}
