using Dapper;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Policy;

namespace RaServer.Workflow;

/// <summary>
/// Registering certificates for Single Window messaging, and ending registrations when a mandate ends. Each
/// change writes a certificate event in the caller's transaction.
/// </summary>
public sealed class CertificateRegistrations(TimeProvider clock)
{
    /// <summary>
    /// Registers the certificate for <paramref name="firmUbn"/>. ORGANIZATION: only the operator itself. PERSONAL:
    /// a firm the broker currently has a mandate with (the firm signs), or the broker himself; an earlier
    /// registration for another firm ends. Registering again for the same firm changes nothing.
    /// </summary>
    public async Task<CertificateRow> RegisterAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string serialHex, string firmUbn, ApplicantKey applicant, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var certificate = await connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {CertificateRow.Columns} FROM certificates c WHERE c.serial_hex = @serialHex FOR UPDATE OF c",
            new { serialHex }, tx, cancellationToken: ct))
            ?? throw new RaException(RaErrorKind.NotFound, "CERTIFICATE_NOT_FOUND", "the RA has issued no certificate with this serial");

        var mayAct = applicant.Ubn is not null
            ? applicant.Ubn == firmUbn
            : applicant.NationalId is not null && applicant.NationalId == certificate.HolderNationalId;
        if (!mayAct)
            throw new RaException(RaErrorKind.PermissionDenied, "REGISTRANT_NOT_FIRM", "a certificate is registered by the firm it is registered for, or by its holder",
                [new FieldProblem("firm_ubn", "must be the signing firm")]);
        if (certificate.State != "ACTIVE" || DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc) <= now.UtcDateTime)
            throw new RaException(RaErrorKind.FailedPrecondition, "CERTIFICATE_NOT_ACTIVE", $"only an active certificate can be registered; this one is {certificate.State}");

        if (certificate.Kind == "ORGANIZATION")
        {
            if (certificate.FirmUbn != firmUbn)
                throw new RaException(RaErrorKind.FailedPrecondition, "FIRM_NOT_HOLDER", "an organization certificate is registered for its own operator only",
                    [new FieldProblem("firm_ubn", $"must be {certificate.FirmUbn}")]);
        }
        else
        {
            var qualified = await HolderQualification.BrokerMayActForAsync(connection, tx, certificate.HolderNationalId, firmUbn, now, ct);
            if (!qualified)
                throw new RaException(RaErrorKind.FailedPrecondition, "NO_CURRENT_MANDATE",
                    "the holder is not a qualified broker with a current mandate at this firm", [new FieldProblem("firm_ubn", "no current mandate")]);
        }

        if (certificate.RegisteredFirmUbn == firmUbn)
            return certificate;
        if (certificate.RegisteredFirmUbn is { } previous)
            await EndAsync(connection, tx, serialHex, "REPLACED", $"registration for {previous} ended: registered for {firmUbn}", now, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificate_registrations (serial_hex, firm_ubn, registered_at) VALUES (@serialHex, @firmUbn, @now);
            UPDATE certificates SET registered_firm_ubn = @firmUbn, updated_at = @now WHERE serial_hex = @serialHex;
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail) VALUES (@serialHex, @now, 'REGISTERED', @detail);
            """,
            new { serialHex, firmUbn, now, detail = $"registered for firm {firmUbn}" }, tx, cancellationToken: ct));
        return (await connection.QuerySingleAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {CertificateRow.Columns} FROM certificates c WHERE c.serial_hex = @serialHex", new { serialHex }, tx, cancellationToken: ct)));
    }

    /// <summary>Ends the registrations of a broker's certificates with one firm (resignation, the old side of a transfer).</summary>
    public async Task EndForMandateAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string nationalId, string firmUbn, DateTimeOffset now, CancellationToken ct)
    {
        var serials = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT serial_hex FROM certificates WHERE holder_national_id = @nationalId AND registered_firm_ubn = @firmUbn::bpchar FOR UPDATE",
            new { nationalId, firmUbn }, tx, cancellationToken: ct));
        foreach (var serial in serials)
            await EndAsync(connection, tx, serial, "MANDATE_ENDED", $"mandate with {firmUbn} ended: registration ended", now, ct);
    }

    private static Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string serialHex, string reason, string detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE certificate_registrations SET ended_at = @now, end_reason = @reason WHERE serial_hex = @serialHex AND ended_at IS NULL;
            UPDATE certificates SET registered_firm_ubn = NULL, updated_at = @now WHERE serial_hex = @serialHex;
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail) VALUES (@serialHex, @now, 'REGISTRATION_ENDED', @detail);
            """,
            new { serialHex, reason, detail, now }, tx, cancellationToken: ct));

    /// <summary>Records a broker staff change as an event on each of the holder's certificates.</summary>
    public static Task RecordHolderEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string nationalId, string kind, string detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail)
            SELECT serial_hex, @now, @kind, @detail FROM certificates WHERE holder_national_id = @nationalId
            """,
            new { nationalId, kind, detail, now }, tx, cancellationToken: ct));
}
