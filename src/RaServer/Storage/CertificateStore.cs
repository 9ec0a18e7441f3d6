using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// Writes to certificates, their registrations and their events, in the unit of work's transaction. Every change
/// that a holder or a verifier can see also leaves a certificate_events row.
/// </summary>
public sealed class CertificateStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>The certificate, locked until the unit of work ends; null when the RA issued none with this serial.</summary>
    public Task<CertificateRow?> LockAsync(string serialHex, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {RowColumns.Certificate} FROM certificates c WHERE c.serial_hex = @serialHex FOR UPDATE OF c",
            new { serialHex }, tx, cancellationToken: ct));

    /// <summary>The certificate as it is now, without a lock; null when the RA issued none with this serial.</summary>
    public Task<CertificateRow?> FindAsync(string serialHex, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {RowColumns.Certificate} FROM certificates c WHERE c.serial_hex = @serialHex", new { serialHex }, tx, cancellationToken: ct));

    public Task<CertificateRow> GetAsync(string serialHex, CancellationToken ct) =>
        connection.QuerySingleAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {RowColumns.Certificate} FROM certificates c WHERE c.serial_hex = @serialHex", new { serialHex }, tx, cancellationToken: ct));

    /// <summary>Registers the certificate for the firm (its registration row, the certificate's current firm, the event).</summary>
    public Task RegisterAsync(string serialHex, string firmUbn, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificate_registrations (serial_hex, firm_ubn, registered_at) VALUES (@serialHex, @firmUbn, @now);
            UPDATE certificates SET registered_firm_ubn = @firmUbn, updated_at = @now WHERE serial_hex = @serialHex;
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail) VALUES (@serialHex, @now, 'REGISTERED', @detail);
            """,
            new { serialHex, firmUbn, now, detail = $"registered for firm {firmUbn}" }, tx, cancellationToken: ct));

    /// <summary>Ends the certificate's current registration, with the reason kept on the registration row.</summary>
    public Task EndRegistrationAsync(string serialHex, string reason, string detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE certificate_registrations SET ended_at = @now, end_reason = @reason WHERE serial_hex = @serialHex AND ended_at IS NULL;
            UPDATE certificates SET registered_firm_ubn = NULL, updated_at = @now WHERE serial_hex = @serialHex;
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail) VALUES (@serialHex, @now, 'REGISTRATION_ENDED', @detail);
            """,
            new { serialHex, reason, detail, now }, tx, cancellationToken: ct));

    /// <summary>Locks and lists the serials of a broker's certificates registered for one firm.</summary>
    public async Task<IReadOnlyList<string>> LockRegisteredForFirmAsync(string nationalId, string firmUbn, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT serial_hex FROM certificates WHERE holder_national_id = @nationalId AND registered_firm_ubn = @firmUbn::bpchar FOR UPDATE",
            new { nationalId, firmUbn }, tx, cancellationToken: ct))).AsList();

    /// <summary>Records a broker staff change as an event on each of the holder's certificates.</summary>
    public Task RecordHolderEventAsync(string nationalId, string kind, string detail, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificate_events (serial_hex, occurred_at, kind, detail)
            SELECT serial_hex, @now, @kind, @detail FROM certificates WHERE holder_national_id = @nationalId
            """,
            new { nationalId, kind, detail, now }, tx, cancellationToken: ct));

    /// <summary>
    /// Stores a certificate the CA issued for an application, ACTIVE, and links the application to it. A retry after
    /// a lost commit meets the certificate it already stored and changes nothing.
    /// </summary>
    public async Task InsertIssuedAsync(IssuedCertificateRecord issued, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn, owner_national_id,
                not_before, not_after, der, chain_der, issued_for_application, renews_serial_hex, created_at, updated_at)
            VALUES (@SerialHex, @Kind, 'ACTIVE', @HolderNationalId, @HolderName, @FirmUbn, @OwnerUbn, @OwnerNationalId,
                @NotBefore, @NotAfter, @Der, @ChainDer, @ApplicationId, @RenewsSerialHex, @now, @now)
            ON CONFLICT (serial_hex) DO NOTHING
            """,
            new
            {
                issued.SerialHex, issued.Kind, issued.HolderNationalId, issued.HolderName, issued.FirmUbn, issued.OwnerUbn,
                issued.OwnerNationalId, issued.NotBefore, issued.NotAfter, issued.Der, issued.ChainDer, issued.ApplicationId,
                issued.RenewsSerialHex, now,
            }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE applications SET issued_serial_hex = @SerialHex WHERE id = @ApplicationId",
            new { issued.SerialHex, issued.ApplicationId }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Sets the certificate's state after the CA changed it, and when (verdicts weigh that against the CA's CRL); a
    /// revocation keeps its reason.
    /// </summary>
    public Task SetStateAsync(string serialHex, string state, int? revocationReason, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE certificates SET state = @state, updated_at = @now, state_changed_at = @now,
                revocation_reason = CASE WHEN @state = 'REVOKED' THEN @revocationReason ELSE revocation_reason END
            WHERE serial_hex = @serialHex
            """,
            new { state, now, revocationReason, serialHex }, tx, cancellationToken: ct));
}
