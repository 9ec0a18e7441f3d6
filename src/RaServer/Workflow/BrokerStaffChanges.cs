using Dapper;
using Npgsql;
using RaServer.Storage;
using RaServer.Policy;
using RaServer.Api;
using RaServer.Domain;

namespace RaServer.Workflow;

/// <summary>
/// Broker staff changes entered by a customs office (after it checked the documents): hiring (a new mandate),
/// resignation (the mandate ends, and with it the certificate's registration with that firm), and loss of
/// qualification. A transfer is an end at the old firm plus a new mandate at the new one, in either order.
/// Each change is one transaction with an event on the holder's certificates and an audit row.
/// </summary>
public sealed class BrokerStaffChanges(NpgsqlDataSource dataSource, CertificateRegistrations registrations, TimeProvider clock)
{
    public async Task<MandateRecord> RecordMandateAsync(MandateRecord mandate, string actor, CancellationToken ct)
    {
        if (RegistryRecordValidator.Validate(mandate) is { Count: > 0 } problems)
            throw new RaException(RaErrorKind.Invalid, RegistryReasons.InvalidRecord, $"the mandate is invalid: {problems[0].Description}",
                problems.Select(p => p with { Field = "mandate." + p.Field }).ToList());
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var references = await connection.QuerySingleAsync<(bool Staff, bool Firm)>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM broker_staff WHERE national_id = @NationalId FOR KEY SHARE),
                   EXISTS (SELECT 1 FROM operators WHERE ubn = @FirmUbn::bpchar FOR KEY SHARE)
            """, mandate, tx, cancellationToken: ct));
        if (!references.Staff)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownBrokerStaff, "the registry has no broker staff with this national ID",
                [new FieldProblem("mandate.national_id", "no such broker staff")]);
        if (!references.Firm)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownFirm, "the registry has no operator with this UBN",
                [new FieldProblem("mandate.firm_ubn", "no such operator")]);
        await connection.ExecuteAsync(new CommandDefinition(
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
        await CertificateRegistrations.RecordHolderEventAsync(connection, tx, mandate.NationalId, "MANDATE_RECORDED",
            $"mandate with {mandate.FirmUbn} from {mandate.StartDate:yyyy-MM-dd}", now, ct);
        await AuditRows.RecordAcceptedAsync(connection, tx, actor, "RecordMandate",
            new { mandate.NationalId, mandate.FirmUbn, start = mandate.StartDate }, now, ct);
        await tx.CommitAsync(ct);
        return mandate;
    }

    /// <summary>Ends the open mandate of the broker at the firm on <paramref name="endDate"/>, and its registrations.</summary>
    public async Task<MandateRecord> EndMandateAsync(string nationalId, string firmUbn, DateOnly endDate, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var start = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            """
            UPDATE mandates SET end_date = @end, updated_at = @now
            WHERE id = (SELECT id FROM mandates WHERE national_id = @nationalId AND firm_ubn = @firmUbn::bpchar
                          AND end_date IS NULL AND start_date <= @end ORDER BY start_date DESC LIMIT 1 FOR UPDATE)
            RETURNING start_date
            """,
            new { nationalId, firmUbn, end = endDate.ToDateTime(TimeOnly.MinValue), now }, tx, cancellationToken: ct))
            ?? throw new RaException(RaErrorKind.FailedPrecondition, "NO_OPEN_MANDATE",
                "the broker has no open mandate with this firm that started on or before the end date");
        await registrations.EndForMandateAsync(connection, tx, nationalId, firmUbn, now, ct);
        await CertificateRegistrations.RecordHolderEventAsync(connection, tx, nationalId, "MANDATE_ENDED",
            $"mandate with {firmUbn} ended {endDate:yyyy-MM-dd}", now, ct);
        await AuditRows.RecordAcceptedAsync(connection, tx, actor, "EndMandate", new { nationalId, firmUbn, end = endDate }, now, ct);
        await tx.CommitAsync(ct);
        return new MandateRecord(nationalId, firmUbn, DateOnly.FromDateTime(start), endDate);
    }

    /// <summary>The administration cancels the broker's registration: every later message he signs is flagged.</summary>
    public async Task<BrokerStaffRecord> DisqualifyAsync(string nationalId, DateOnly effective, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var staff = await connection.QuerySingleOrDefaultAsync<BrokerStaffRow>(new CommandDefinition(
            """
            UPDATE broker_staff SET status = 'DISQUALIFIED', updated_at = @now WHERE national_id = @nationalId
            RETURNING national_id AS NationalId, name AS Name, licence_number AS LicenceNumber, status AS Status
            """,
            new { nationalId, now }, tx, cancellationToken: ct))
            ?? throw new RaException(RaErrorKind.NotFound, RegistryReasons.UnknownBrokerStaff, "the registry has no broker staff with this national ID",
                [new FieldProblem("national_id", "no such broker staff")]);
        await CertificateRegistrations.RecordHolderEventAsync(connection, tx, nationalId, "HOLDER_DISQUALIFIED",
            $"disqualified from {effective:yyyy-MM-dd}: {reason}", now, ct);
        await AuditRows.RecordAcceptedAsync(connection, tx, actor, "DisqualifyBroker", new { nationalId, effective, reason }, now, ct);
        await tx.CommitAsync(ct);
        return new BrokerStaffRecord(staff.NationalId, staff.Name, staff.LicenceNumber, staff.Status);
    }

    private sealed record BrokerStaffRow(string NationalId, string Name, string LicenceNumber, string Status);
}
