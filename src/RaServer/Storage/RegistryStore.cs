using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Workflow;

namespace RaServer.Storage;

/// <summary>
/// Reads and writes the RA's copy of the customs registry one record at a time. Every write is validated first;
/// invalid input, unknown references and a licence number held by someone else are refused with nothing written.
/// Bulk loads go through <see cref="RegistryImporter"/>.
/// </summary>
public sealed class RegistryStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<bool> UpsertOperatorAsync(OperatorRecord record, CancellationToken ct)
    {
        ThrowIfInvalid(RegistryRecordValidator.Validate(record));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            INSERT INTO operators (ubn, name, kind, customs_office_code, box_number, status, updated_at)
            VALUES (@Ubn, @Name, @Kind, @CustomsOfficeCode, @BoxNumber, @Status, @now)
            ON CONFLICT (ubn) DO UPDATE SET
                name = excluded.name, kind = excluded.kind, customs_office_code = excluded.customs_office_code,
                box_number = excluded.box_number, status = excluded.status, updated_at = excluded.updated_at
            RETURNING (xmax = 0) -- true when the row was inserted, false when an existing one was updated
            """,
            new { record.Ubn, record.Name, record.Kind, record.CustomsOfficeCode, record.BoxNumber, record.Status, now = time.GetUtcNow() },
            cancellationToken: ct));
    }

    public async Task<bool> UpsertBrokerStaffAsync(BrokerStaffRecord record, CancellationToken ct)
    {
        ThrowIfInvalid(RegistryRecordValidator.Validate(record));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                INSERT INTO broker_staff (national_id, name, licence_number, status, updated_at)
                VALUES (@NationalId, @Name, @LicenceNumber, @Status, @now)
                ON CONFLICT (national_id) DO UPDATE SET
                    name = excluded.name, licence_number = excluded.licence_number,
                    status = excluded.status, updated_at = excluded.updated_at
                RETURNING (xmax = 0)
                """,
                new { record.NationalId, record.Name, record.LicenceNumber, record.Status, now = time.GetUtcNow() },
                cancellationToken: ct));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "broker_staff_licence_number_key" })
        {
            throw LicenceNumberTaken();
        }
    }

    internal static RaException LicenceNumberTaken() =>
        new(RaErrorKind.AlreadyExists, RegistryReasons.LicenceNumberTaken, "The licence number belongs to another person.",
            [new FieldProblem("licence_number", "is already registered to another person")]);

    /// <summary>Creates the mandate, or updates its end date when one with the same person, firm and start exists.</summary>
    public async Task<bool> UpsertMandateAsync(MandateRecord record, CancellationToken ct)
    {
        ThrowIfInvalid(RegistryRecordValidator.Validate(record));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // KEY SHARE locks keep the referenced rows from vanishing between this check and the insert.
        var references = await connection.QuerySingleAsync<(bool StaffExists, bool FirmExists)>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM broker_staff WHERE national_id = @NationalId FOR KEY SHARE),
                   EXISTS (SELECT 1 FROM operators WHERE ubn = @FirmUbn::bpchar FOR KEY SHARE)
            """,
            new { record.NationalId, record.FirmUbn }, transaction, cancellationToken: ct));
        if (!references.StaffExists)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownBrokerStaff,
                "The registry has no broker staff with this national ID.", [new FieldProblem("national_id", "no such broker staff")]);
        if (!references.FirmExists)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownFirm,
                "The registry has no operator with this UBN.", [new FieldProblem("firm_ubn", "no such operator")]);

        var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            INSERT INTO mandates (national_id, firm_ubn, start_date, end_date, updated_at)
            VALUES (@NationalId, @FirmUbn, @StartDate, @EndDate, @now)
            ON CONFLICT ON CONSTRAINT mandates_natural_key DO UPDATE SET
                end_date = excluded.end_date, updated_at = excluded.updated_at
            RETURNING (xmax = 0)
            """,
            new { record.NationalId, record.FirmUbn, record.StartDate, record.EndDate, now = time.GetUtcNow() },
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return created;
    }

    public async Task<OperatorRecord?> GetOperatorAsync(string ubn, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<OperatorRecord>(new CommandDefinition(
            """
            SELECT ubn AS Ubn, name AS Name, kind AS Kind, customs_office_code AS CustomsOfficeCode,
                   box_number AS BoxNumber, status AS Status
            FROM operators WHERE ubn = @ubn::bpchar
            """,
            new { ubn }, cancellationToken: ct));
    }

    public async Task<BrokerStaffRecord?> GetBrokerStaffAsync(string nationalId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<BrokerStaffRecord>(new CommandDefinition(
            """
            SELECT national_id AS NationalId, name AS Name, licence_number AS LicenceNumber, status AS Status
            FROM broker_staff WHERE national_id = @nationalId
            """,
            new { nationalId }, cancellationToken: ct));
    }

    /// <summary>The person's mandates, oldest first.</summary>
    public async Task<IReadOnlyList<MandateRecord>> ListMandatesAsync(string nationalId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Npgsql 10 reads date columns as DateOnly, which Dapper hands straight to the record's constructor.
        var rows = await connection.QueryAsync<MandateRecord>(new CommandDefinition(
            """
            SELECT national_id AS NationalId, firm_ubn AS FirmUbn, start_date AS StartDate, end_date AS EndDate
            FROM mandates WHERE national_id = @nationalId
            ORDER BY start_date, firm_ubn
            """,
            new { nationalId }, cancellationToken: ct));
        return rows.ToList();
    }

    private static void ThrowIfInvalid(IReadOnlyList<FieldProblem> problems)
    {
        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, RegistryReasons.InvalidRecord, "The registry record is invalid.", problems);
    }
}
