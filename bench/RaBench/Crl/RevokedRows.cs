using System.Diagnostics;
using System.Globalization;
using CaConnector;
using EmbeddedCa;
using Npgsql;

namespace RaBench.Crl;

/// <summary>
/// A million held and revoked certificates in the embedded CA's own table, written by one INSERT … generate_series
/// (not on the clock). Each row carries a real certificate's DER, so the table is as large as a real CA's; serials
/// are 16 random bytes with the top bit clear, as the CA's own. One in ten is on hold (reason 6, as the table's
/// check demands), the rest revoked with the reasons a CA sees most. Each status change is numbered from the CA's
/// status counter, as the store numbers its own (migration 0035).
/// </summary>
public static class RevokedRows
{
    public static async Task InsertAsync(BenchEnvironment env, int count, byte[] certificateDer, string subject)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using (var insert = new NpgsqlCommand(
            """
            WITH counter AS (UPDATE embedded_ca_status_counter SET last_change = last_change + @count WHERE id = 1 RETURNING last_change - @count AS base)
            INSERT INTO embedded_ca_certificates (serial, request_key, kind, subject, der, not_before, not_after, issued_at,
                                                  status, revocation_reason, revoked_at, status_change)
            SELECT set_byte(uuid_send(gen_random_uuid()), 0, 64 + i % 64), 'bench-crl:' || i, 'Organization', @subject, @der,
                   now() - interval '1 year', now() + interval '2 years', now() - interval '1 year',
                   CASE WHEN i % 10 = 0 THEN 'Held' ELSE 'Revoked' END,
                   CASE WHEN i % 10 = 0 THEN 6 ELSE (ARRAY[1, 4, 5, 3, 0])[1 + i % 5] END,
                   now() - (i % 31536000) * interval '1 second', counter.base + i
            FROM generate_series(1, @count) AS i, counter
            """, connection) { CommandTimeout = 0 })
        {
            insert.Parameters.AddWithValue("subject", subject);
            insert.Parameters.AddWithValue("der", certificateDer);
            insert.Parameters.AddWithValue("count", count);
            await insert.ExecuteNonQueryAsync();
        }
        // What autovacuum would have done long since on a real CA's table: statistics and the visibility map (which
        // lets the CRL's read come from the listed-certificates index alone); the checkpoint keeps the bulk write's
        // flush out of the timings.
        foreach (var sql in new[] { "VACUUM (ANALYZE) embedded_ca_certificates", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"inserted {count:N0} held/revoked certificates ({certificateDer.Length:N0}-byte DER each) by SQL, vacuumed, in {clock.Elapsed.TotalSeconds:F1} s (not timed)"));
    }

    /// <summary>Every listed certificate, read as the store reads them for a CRL: the baseline's input, and the SQL phase's timing.</summary>
    public static async Task<List<RevokedCertificate>> ReadAsync(BenchEnvironment env)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        var entries = new List<RevokedCertificate>();
        await using var command = new NpgsqlCommand(
            "SELECT serial, revoked_at, revocation_reason FROM embedded_ca_certificates WHERE status <> 'Active'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            entries.Add(new RevokedCertificate(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<DateTimeOffset>(1), (RevocationReason)reader.GetInt16(2)));
        return entries;
    }
}
