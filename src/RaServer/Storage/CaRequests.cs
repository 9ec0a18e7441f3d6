using Dapper;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Workflow;

namespace RaServer.Storage;

/// <summary>
/// Writes CA requests to the ca_requests outbox in the caller's transaction, together with the application's
/// move to FORWARDED, so nothing is lost if the CA, the network or the RA process fails afterwards.
/// </summary>
internal static class CaRequests
{
    public static Task EnqueueStatusChangeAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid applicationId, ApplicationDraft draft, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ca_requests (application_id, operation, certificate_serial_hex, revocation_reason, created_at, next_attempt_at)
            VALUES (@applicationId, @operation, @serial, @reason, @now, @now)
            """,
            new
            {
                applicationId, operation = draft.Request.ServiceType, serial = draft.Request.CertificateSerialHex,
                reason = draft.RevocationReasonCode, now,
            }, tx, cancellationToken: ct));

    public static Task EnqueueIssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid applicationId, string operation, string? renewsSerialHex, byte[] csrDer,
        DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ca_requests (application_id, operation, certificate_serial_hex, csr_der, created_at, next_attempt_at)
            VALUES (@applicationId, @operation, @renewsSerialHex, @csrDer, @now, @now)
            """,
            new { applicationId, operation, renewsSerialHex, csrDer, now }, tx, cancellationToken: ct));
}
