using System.Security.Cryptography.X509Certificates;
using CaConnector;
using Dapper;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Hosting;
using RaServer.Policy;

namespace RaServer.Workers;

/// <summary>
/// Records what the CA did, in the same transaction that closes the outbox row: the certificate and its state,
/// the application's move to COMPLETED or FAILED (with its event), and the e-mail to the applicant.
/// </summary>
public sealed class CaCompletion(MailOutbox mail, TimeProvider clock)
{
    public async Task IssuedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CaRequestRow request, CaIssuedCertificate issued, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        using var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        var serial = SerialNumbers.Canonical(certificate.SerialNumber);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn, owner_national_id,
                not_before, not_after, der, chain_der, issued_for_application, renews_serial_hex, created_at, updated_at)
            VALUES (@serial, @Kind, 'ACTIVE', @SubjectNationalId, @SubjectName, @SubjectUbn, @ApplicantUbn, @ApplicantNationalId,
                @notBefore, @notAfter, @der, @chain, @ApplicationId, @renews, @now, @now)
            ON CONFLICT (serial_hex) DO NOTHING -- a retry after a lost commit meets the certificate it already stored
            """,
            new
            {
                serial, request.Kind, request.SubjectNationalId, request.SubjectName, request.SubjectUbn, request.ApplicantUbn,
                request.ApplicantNationalId, notBefore = certificate.NotBefore.ToUniversalTime(), notAfter = certificate.NotAfter.ToUniversalTime(),
                der = issued.CertificateDer, chain = issued.ChainDer.ToArray(), request.ApplicationId,
                renews = request.Operation == "RENEW" ? request.CertificateSerialHex : null, now,
            }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE applications SET issued_serial_hex = @serial WHERE id = @ApplicationId",
            new { serial, request.ApplicationId }, tx, cancellationToken: ct));
        await CompleteAsync(connection, tx, request, "COMPLETED", $"certificate {serial} issued", null, now, ct);
        await mail.EnqueueAsync(connection, tx, MailNotice.Create(request.NoticeEmail,
            new CertificateReadyNotice(request.ApplicationId.ToString("D"), serial)), ct);
    }

    public async Task StatusChangedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CaRequestRow request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (state, change) = request.Operation switch
        {
            "SUSPEND" => ("SUSPENDED", CertificateStatusChange.Suspended),
            "UNSUSPEND" => ("ACTIVE", CertificateStatusChange.Unsuspended),
            "REVOKE" => ("REVOKED", CertificateStatusChange.Revoked),
            _ => throw new InvalidOperationException($"{request.Operation} is not a status change"),
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE certificates SET state = @state, updated_at = @now,
                revocation_reason = CASE WHEN @state = 'REVOKED' THEN @reason ELSE revocation_reason END
            WHERE serial_hex = @serial
            """,
            new { state, now, reason = request.RevocationReason, serial = request.CertificateSerialHex }, tx, cancellationToken: ct));
        await CompleteAsync(connection, tx, request, "COMPLETED", $"certificate {request.CertificateSerialHex} {state.ToLowerInvariant()}", null, now, ct);
        await mail.EnqueueAsync(connection, tx, MailNotice.Create(request.NoticeEmail,
            new CertificateStatusChangedNotice(request.ApplicationId.ToString("D"), request.CertificateSerialHex!, change)), ct);
    }

    public Task RefusedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CaRequestRow request, CaRefusedException refusal, CancellationToken ct) =>
        CompleteAsync(connection, tx, request, "FAILED", "the CA refused the request", refusal.Message, clock.GetUtcNow(), ct);

    private static async Task CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, CaRequestRow request, string to, string detail, string? failure,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!await ApplicationCommands.MoveAsync(connection, tx, request.ApplicationId, ["FORWARDED"], to, detail, now, ct, failureDetail: failure))
            throw new InvalidOperationException($"application {request.ApplicationId} of CA request {request.Id} is not FORWARDED");
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ca_requests SET completed_at = @now, attempts = attempts + 1, last_error = @failure WHERE id = @Id",
            new { now, failure, request.Id }, tx, cancellationToken: ct));
    }
}
