using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// The registry import's reads and writes, a batch at a time in the batch's unit of work: one query per kind of
/// reference, and one array-parameter upsert per table, however many rows the batch holds.
/// </summary>
public sealed class RegistryImportStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>Which of <paramref name="ubns"/> the operators table holds.</summary>
    public Task<IEnumerable<string>> ExistingFirmsAsync(string[] ubns, CancellationToken ct) =>
        connection.QueryAsync<string>(new CommandDefinition(
            "SELECT ubn FROM operators WHERE ubn = ANY(@ubns::bpchar[])",
            new { ubns }, tx, cancellationToken: ct));

    /// <summary>The broker staff who have one of <paramref name="nationalIds"/> or hold one of <paramref name="licences"/>.</summary>
    public Task<IEnumerable<(string NationalId, string LicenceNumber)>> ExistingStaffAsync(
        string[] nationalIds, string[] licences, CancellationToken ct) =>
        connection.QueryAsync<(string, string)>(new CommandDefinition(
            """
            SELECT national_id, licence_number FROM broker_staff
            WHERE national_id = ANY(@nationalIds) OR licence_number = ANY(@licences)
            """,
            new { nationalIds, licences }, tx, cancellationToken: ct));

    public async Task UpsertOperatorsAsync(IReadOnlyList<OperatorRecord> rows, DateTimeOffset now, CancellationToken ct)
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
            tx, cancellationToken: ct));
    }

    public async Task UpsertBrokerStaffAsync(IReadOnlyList<BrokerStaffRecord> rows, DateTimeOffset now, CancellationToken ct)
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
            tx, cancellationToken: ct));
    }

    public async Task UpsertMandatesAsync(IReadOnlyList<MandateRecord> rows, DateTimeOffset now, CancellationToken ct)
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
            tx, cancellationToken: ct));
    }
}
