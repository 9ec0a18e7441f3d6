using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Broker staff changes entered by a customs office, in the unit of work's transaction.</summary>
public sealed class StaffStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>
    /// Whether the registry knows the broker and the firm of <paramref name="mandate"/>; both rows are key-share
    /// locked until the unit of work ends, so neither can be deleted under the new mandate.
    /// </summary>
    public Task<(bool Staff, bool Firm)> LockReferencesAsync(MandateRecord mandate, CancellationToken ct) =>
        connection.QuerySingleAsync<(bool Staff, bool Firm)>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM broker_staff WHERE national_id = @NationalId FOR KEY SHARE),
                   EXISTS (SELECT 1 FROM operators WHERE ubn = @FirmUbn::bpchar FOR KEY SHARE)
            """, mandate, tx, cancellationToken: ct));

    /// <summary>Adds the mandate, or changes the end date of the same mandate recorded before.</summary>
    public Task UpsertMandateAsync(MandateRecord mandate, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mandates (national_id, firm_ubn, start_date, end_date, updated_at)
            VALUES (@NationalId, @FirmUbn, @start, @end, @now)
            ON CONFLICT ON CONSTRAINT mandates_natural_key DO UPDATE SET end_date = excluded.end_date, updated_at = excluded.updated_at
            """,
            new
            {
                mandate.NationalId, mandate.FirmUbn, start = mandate.StartDate.ToDateTime(TimeOnly.MinValue),
                end = mandate.EndDate?.ToDateTime(TimeOnly.MinValue), now,
            }, tx, cancellationToken: ct));

    /// <summary>
    /// Ends the latest open mandate of the broker at the firm that started by <paramref name="endDate"/>; returns
    /// its start date, or null when there is none.
    /// </summary>
    public async Task<DateOnly?> EndOpenMandateAsync(string nationalId, string firmUbn, DateOnly endDate, DateTimeOffset now, CancellationToken ct)
    {
        var start = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            """
            UPDATE mandates SET end_date = @end, updated_at = @now
            WHERE id = (SELECT id FROM mandates WHERE national_id = @nationalId AND firm_ubn = @firmUbn::bpchar
                          AND end_date IS NULL AND start_date <= @end ORDER BY start_date DESC LIMIT 1 FOR UPDATE)
            RETURNING start_date
            """,
            new { nationalId, firmUbn, end = endDate.ToDateTime(TimeOnly.MinValue), now }, tx, cancellationToken: ct));
        return start is { } date ? DateOnly.FromDateTime(date) : null;
    }

    /// <summary>Marks the broker DISQUALIFIED; null when the registry has no such broker.</summary>
    public async Task<BrokerStaffRecord?> DisqualifyAsync(string nationalId, DateTimeOffset now, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<BrokerStaffRow>(new CommandDefinition(
            """
            UPDATE broker_staff SET status = 'DISQUALIFIED', updated_at = @now WHERE national_id = @nationalId
            RETURNING national_id AS NationalId, name AS Name, licence_number AS LicenceNumber, status AS Status
            """,
            new { nationalId, now }, tx, cancellationToken: ct)) is { } row
            ? new BrokerStaffRecord(row.NationalId, row.Name, row.LicenceNumber, row.Status)
            : null;

    private sealed record BrokerStaffRow(string NationalId, string Name, string LicenceNumber, string Status);
}
