using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// Writes CA requests to the ca_requests outbox in the caller's transaction, together with the application's
/// move to FORWARDED, so nothing is lost if the CA, the network or the RA process fails afterwards.
/// </summary>
public sealed class CaRequestStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>Whether this unit of work queued a CA request, so its commit wakes the dispatcher (<see cref="CommittedChanges"/>).</summary>
    internal bool Enqueued { get; private set; }

    public Task EnqueueStatusChangeAsync(
        Guid applicationId, ApplicationDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        Enqueued = true;
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ca_requests (application_id, operation, certificate_serial_hex, revocation_reason, created_at, next_attempt_at)
            VALUES (@applicationId, @operation, @serial, @reason, @now, @now)
            """,
            new
            {
                applicationId, operation = draft.Request.ServiceType, serial = draft.Request.CertificateSerialHex,
                reason = draft.RevocationReasonCode, now,
            }, tx, cancellationToken: ct));
    }

    /// <summary>An ISSUE or RENEW with the certificate the RA decided on, which is what the dispatcher will send.</summary>
    public Task EnqueueIssueAsync(
        Guid applicationId, string operation, string? renewsSerialHex, byte[] csrDer, CertificateDecision decision,
        DateTimeOffset now, CancellationToken ct)
    {
        Enqueued = true;
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ca_requests (application_id, operation, certificate_serial_hex, csr_der, profile_kind, profile_organization,
                profile_common_name, profile_ubn, profile_id_last_four, validity_years, term_from, created_at, next_attempt_at)
            VALUES (@applicationId, @operation, @renewsSerialHex, @csrDer, @Kind, @Organization,
                @CommonName, @Ubn, @IdLastFour, @ValidityYears, @TermFrom, @now, @now)
            """,
            new
            {
                applicationId, operation, renewsSerialHex, csrDer, decision.Kind, decision.Organization, decision.CommonName,
                decision.Ubn, decision.IdLastFour, decision.ValidityYears, decision.TermFrom, now,
            }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> due requests, oldest due first, with their stored certificate decisions
    /// and what completing them needs from their applications: one statement, committed on its own, that stamps
    /// <paramref name="token"/> on them and makes them due again only at <paramref name="leaseEnd"/>, so no other
    /// worker or replica sends them meanwhile and no transaction stays open while the CA works. Empty when none is due.
    /// A row due later than a lease (when leased) or the dispatcher's backoff (<paramref name="firstRetryDelay"/>,
    /// <paramref name="maxBackoff"/>) could have made it is due now: the clock went back (<see cref="OutboxDue"/>).
    /// </summary>
    public async Task<IReadOnlyList<CaRequestRow>> LeaseDueAsync(
        DateTimeOffset now, int limit, Guid token, DateTimeOffset leaseEnd, TimeSpan firstRetryDelay, TimeSpan maxBackoff, CancellationToken ct) =>
        (await connection.QueryAsync<CaRequestRow>(new CommandDefinition(
            $"""
            WITH due AS (
                SELECT id, next_attempt_at AS due_at FROM ca_requests
                WHERE completed_at IS NULL
                  AND (next_attempt_at <= @now
                       OR next_attempt_at > @now + {OutboxDue.Slack} + CASE WHEN lease_token IS NOT NULL THEN @lease ELSE {OutboxDue.LongestBackoff} END)
                ORDER BY next_attempt_at, id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE ca_requests r SET next_attempt_at = @leaseEnd, lease_token = @token
                FROM due WHERE r.id = due.id
                RETURNING r.*, due.due_at)
            SELECT r.id AS Id, r.application_id AS ApplicationId, r.operation AS Operation,
                   r.certificate_serial_hex AS CertificateSerialHex, r.revocation_reason AS RevocationReason, r.csr_der AS CsrDer,
                   r.profile_kind AS ProfileKind, r.profile_organization AS ProfileOrganization,
                   r.profile_common_name AS ProfileCommonName, r.profile_ubn AS ProfileUbn,
                   r.profile_id_last_four AS ProfileIdLastFour, r.validity_years AS ValidityYears,
                   r.term_from AS TermFrom,
                   r.attempts AS Attempts, a.kind AS Kind, a.subject_national_id AS SubjectNationalId, a.subject_name AS SubjectName,
                   a.subject_ubn AS SubjectUbn, a.applicant_ubn AS ApplicantUbn,
                   a.applicant_national_id AS ApplicantNationalId, a.notice_email AS NoticeEmail
            FROM leased r
            JOIN applications a ON a.id = r.application_id
            ORDER BY r.due_at, r.id
            """,
            new { now, limit, token, leaseEnd, lease = leaseEnd - now, firstRetryDelay, maxBackoff }, tx, cancellationToken: ct))).AsList();

    /// <summary>Moves the end of <paramref name="token"/>'s lease to <paramref name="leaseEnd"/>; how many open rows it still holds.</summary>
    public Task<int> RenewLeaseAsync(Guid token, DateTimeOffset leaseEnd, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ca_requests SET next_attempt_at = @leaseEnd WHERE lease_token = @token AND completed_at IS NULL",
            new { token, leaseEnd }, tx, cancellationToken: ct));

    /// <summary>
    /// Of <paramref name="ids"/>, the open ones still leased to <paramref name="token"/>, locked until the unit of work
    /// ends: the only ones whose outcome this worker may record. A row missing here was leased again by another
    /// worker after this lease lapsed; that worker records it.
    /// </summary>
    public async Task<IReadOnlySet<long>> HoldLeasedAsync(IReadOnlyList<long> ids, Guid token, CancellationToken ct) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM ca_requests WHERE id = ANY(@ids) AND lease_token = @token AND completed_at IS NULL FOR UPDATE",
            new { ids = ids.ToArray(), token }, tx, cancellationToken: ct))).ToHashSet();

    /// <summary>Keeps the request for another attempt at <paramref name="next"/>, with the reason for an operator.</summary>
    public Task ScheduleRetryAsync(long id, DateTimeOffset next, string error, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ca_requests SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error, lease_token = NULL WHERE id = @id",
            new { id, next, error }, tx, cancellationToken: ct));

    /// <summary>Closes the request; <paramref name="failure"/> is kept when the CA refused it for good.</summary>
    public Task CompleteAsync(long id, DateTimeOffset now, string? failure, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ca_requests SET completed_at = @now, attempts = attempts + 1, last_error = @failure, lease_token = NULL WHERE id = @id",
            new { now, failure, id }, tx, cancellationToken: ct));
}
