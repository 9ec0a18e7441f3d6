using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// Bulk load of the registry feed. Records are validated and their references resolved batch by batch (one query
/// for what the database already holds, then pure decisions in input order), and each batch's good records are
/// written in one transaction with one array-parameter upsert per table. A bad record is reported and never costs
/// the good ones their place; results come back in input order once their batch has committed.
/// </summary>
/// <remarks>
/// A concurrent writer that changes the registry between a batch's lookup and its write can make that batch fail
/// as a whole (for example a licence number taken meanwhile); the exception then ends the import, and the
/// batches already reported as accepted stay committed.
/// </remarks>
public sealed class RegistryImporter(NpgsqlDataSource dataSource, TimeProvider time, int batchSize = 5_000)
{
    public async IAsyncEnumerable<RegistryImportResult> ImportAsync(
        IAsyncEnumerable<RegistryImportRecord> records, [EnumeratorCancellation] CancellationToken ct)
    {
        var state = new RegistryImportState();
        var batch = new List<RegistryImportRecord>(batchSize);
        var firstIndex = 0;
        await foreach (var record in records.WithCancellation(ct))
        {
            batch.Add(record);
            if (batch.Count < batchSize)
                continue;
            foreach (var result in await ImportBatchAsync(state, firstIndex, batch, ct))
                yield return result;
            firstIndex += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0)
            foreach (var result in await ImportBatchAsync(state, firstIndex, batch, ct))
                yield return result;
    }

    private async Task<RegistryImportResult[]> ImportBatchAsync(
        RegistryImportState state, int firstIndex, List<RegistryImportRecord> batch, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var asked = state.Unresolved(batch);
        var existingUbns = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT ubn FROM operators WHERE ubn = ANY(@ubns::bpchar[])",
            new { ubns = asked.Ubns }, transaction, cancellationToken: ct));
        var existingStaff = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            """
            SELECT national_id, licence_number FROM broker_staff
            WHERE national_id = ANY(@nationalIds) OR licence_number = ANY(@licences)
            """,
            new { nationalIds = asked.NationalIds, licences = asked.Licences }, transaction, cancellationToken: ct));
        state.AddDatabaseFacts(asked, existingUbns, existingStaff);

        var (results, writes) = state.Decide(firstIndex, batch);
        var now = time.GetUtcNow();
        await WriteOperatorsAsync(connection, transaction, writes.Operators.Rows, now, ct);
        await WriteBrokerStaffAsync(connection, transaction, writes.BrokerStaff.Rows, now, ct);
        await WriteMandatesAsync(connection, transaction, writes.Mandates.Rows, now, ct);
        await transaction.CommitAsync(ct);
        return results;
    }

    private static async Task WriteOperatorsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OperatorRecord> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO operators (ubn, name, kind, customs_office_code, box_number, status, updated_at)
            SELECT ubn, name, kind, office, box, status, @now
            FROM unnest(@ubns::text[], @names::text[], @kinds::text[], @offices::text[], @boxes::text[], @statuses::text[])
                 AS r(ubn, name, kind, office, box, status)
            ON CONFLICT (ubn) DO UPDATE SET
                name = excluded.name, kind = excluded.kind, customs_office_code = excluded.customs_office_code,
                box_number = excluded.box_number, status = excluded.status, updated_at = excluded.updated_at
            """,
            new
            {
                ubns = rows.Select(r => r.Ubn).ToArray(),
                names = rows.Select(r => r.Name).ToArray(),
                kinds = rows.Select(r => r.Kind).ToArray(),
                offices = rows.Select(r => r.CustomsOfficeCode).ToArray(),
                boxes = rows.Select(r => r.BoxNumber).ToArray(),
                statuses = rows.Select(r => r.Status).ToArray(),
                now,
            },
            transaction, cancellationToken: ct));
    }

    private static async Task WriteBrokerStaffAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<BrokerStaffRecord> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO broker_staff (national_id, name, licence_number, status, updated_at)
            SELECT national_id, name, licence_number, status, @now
            FROM unnest(@nationalIds::text[], @names::text[], @licences::text[], @statuses::text[])
                 AS r(national_id, name, licence_number, status)
            ON CONFLICT (national_id) DO UPDATE SET
                name = excluded.name, licence_number = excluded.licence_number,
                status = excluded.status, updated_at = excluded.updated_at
            """,
            new
            {
                nationalIds = rows.Select(r => r.NationalId).ToArray(),
                names = rows.Select(r => r.Name).ToArray(),
                licences = rows.Select(r => r.LicenceNumber).ToArray(),
                statuses = rows.Select(r => r.Status).ToArray(),
                now,
            },
            transaction, cancellationToken: ct));
    }

    private static async Task WriteMandatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<MandateRecord> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mandates (national_id, firm_ubn, start_date, end_date, updated_at)
            SELECT national_id, firm_ubn, start_date, end_date, @now
            FROM unnest(@nationalIds::text[], @firmUbns::text[], @startDates::date[], @endDates::date[])
                 AS r(national_id, firm_ubn, start_date, end_date)
            ON CONFLICT ON CONSTRAINT mandates_natural_key DO UPDATE SET
                end_date = excluded.end_date, updated_at = excluded.updated_at
            """,
            new
            {
                nationalIds = rows.Select(r => r.NationalId).ToArray(),
                firmUbns = rows.Select(r => r.FirmUbn).ToArray(),
                startDates = rows.Select(r => r.StartDate).ToArray(),
                endDates = rows.Select(r => r.EndDate).ToArray(),
                now,
            },
            transaction, cancellationToken: ct));
    }
}
