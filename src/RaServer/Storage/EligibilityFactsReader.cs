using Dapper;
using Npgsql;
using RaServer.Policy;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Reads, inside the workflow's transaction, every fact eligibility is decided from.</summary>
public sealed class EligibilityFactsReader(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <param name="applicationId">The application being decided: it is open itself, and does not count as another.</param>
    public async Task<EligibilityFacts> ReadAsync(
        Guid applicationId, ApplicationRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var firm = await connection.QuerySingleOrDefaultAsync<OperatorFacts>(new CommandDefinition(
            """
            SELECT ubn AS Ubn, name AS Name, kind AS Kind, status AS Status, customs_office_code AS CustomsOfficeCode
            FROM operators WHERE ubn = @ubn::bpchar
            """,
            new { ubn = request.SubjectUbn }, tx, cancellationToken: ct));

        BrokerFacts? broker = null;
        if (request.SubjectNationalId is { } nationalId)
        {
            var staff = await connection.QuerySingleOrDefaultAsync<(string NationalId, string Name, string Status)>(new CommandDefinition(
                "SELECT national_id, name, status FROM broker_staff WHERE national_id = @nationalId",
                new { nationalId }, tx, cancellationToken: ct));
            if (staff.NationalId is not null)
            {
                var mandates = await connection.QueryAsync<(DateTime Start, DateTime? End)>(new CommandDefinition(
                    "SELECT start_date, end_date FROM mandates WHERE national_id = @nationalId AND firm_ubn = @firm::bpchar",
                    new { nationalId, firm = request.SubjectUbn }, tx, cancellationToken: ct));
                broker = new BrokerFacts(staff.NationalId, staff.Name, staff.Status, mandates
                    .Select(m => (DateOnly.FromDateTime(m.Start), m.End is { } end ? DateOnly.FromDateTime(end) : (DateOnly?)null))
                    .ToList());
            }
        }

        CertificateFacts? certificate = null;
        var openApplication = false;
        if (request.CertificateSerialHex is { } serial)
        {
            // Serialises eligibility per certificate until commit: "no two open applications" survives races.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtextextended('certificate:' || @serial, 0))",
                new { serial }, tx, cancellationToken: ct));
            var row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
                """
                SELECT c.serial_hex AS SerialHex, c.kind AS Kind, c.state AS State, c.holder_national_id AS HolderNationalId,
                       c.firm_ubn AS FirmUbn, c.owner_ubn AS OwnerUbn, c.owner_national_id AS OwnerNationalId,
                       c.not_after AS NotAfter,
                       EXISTS (SELECT 1 FROM certificates r WHERE r.renews_serial_hex = c.serial_hex) AS AlreadyRenewed
                FROM certificates c WHERE c.serial_hex = @serial
                """,
                new { serial }, tx, cancellationToken: ct));
            certificate = row is null ? null : new CertificateFacts(row.SerialHex, row.Kind, row.State, row.HolderNationalId,
                row.FirmUbn, row.OwnerUbn, row.OwnerNationalId, new DateTimeOffset(DateTime.SpecifyKind(row.NotAfter, DateTimeKind.Utc)),
                row.AlreadyRenewed);
            openApplication = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                SELECT EXISTS (SELECT 1 FROM applications
                               WHERE certificate_serial_hex = @serial AND id <> @applicationId
                                 AND state IN ('RECEIVED', 'AWAITING_PAYMENT', 'AWAITING_KEY', 'FORWARDED'))
                """,
                new { serial, applicationId }, tx, cancellationToken: ct));
        }
        return new EligibilityFacts(request, firm, broker, certificate, openApplication, now);
    }

    // Npgsql hands timestamptz to Dapper as DateTime (UTC); the policy speaks DateTimeOffset.
    private sealed class CertificateRow
    {
        public string SerialHex { get; init; } = "";
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public string? HolderNationalId { get; init; }
        public string FirmUbn { get; init; } = "";
        public string? OwnerUbn { get; init; }
        public string? OwnerNationalId { get; init; }
        public DateTime NotAfter { get; init; }
        public bool AlreadyRenewed { get; init; }
    }
}
