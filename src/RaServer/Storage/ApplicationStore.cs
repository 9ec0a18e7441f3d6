using System.Text.Json;
using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// Writes to the applications table. Every state change goes through <see cref="MoveAsync"/>, which names the
/// state it expects to leave: the row's trigger refuses transitions outside the state machine and writes the
/// event, and the WHERE clause turns a lost race (someone else moved it first) into a clear failure.
/// </summary>
public sealed class ApplicationStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>Stores a new application as RECEIVED; a request id already used is refused as REQUEST_ID_REUSED.</summary>
    public async Task InsertReceivedAsync(
        Guid id, string requestId, ApplicationDraft draft,
        PaperIntakeInfo? paper, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await InsertAsync(id, requestId, draft, paper, now, ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "applications_request_id_key" })
        {
            throw new RaException(RaErrorKind.AlreadyExists, "REQUEST_ID_REUSED", "this request_id was already used for another application",
                [new FieldProblem("header.request_id", "use a new request_id for a new application")]);
        }
    }

    /// <summary>Whether this unit of work created an application or moved one, so its commit leaves events to number.</summary>
    internal bool WroteEvents { get; private set; }

    /// <summary>The existing applications this unit of work changed, for <see cref="CommittedChanges"/> after its commit.</summary>
    internal HashSet<Guid> Changed { get; } = [];

    /// <summary>Each application this unit of work created or moved, and the state it went to, for its audit row.</summary>
    internal List<AuditedMove> Moves { get; } = [];

    private async Task InsertAsync(Guid id, string requestId, ApplicationDraft draft, PaperIntakeInfo? paper, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_national_id,
                applicant_name, subject_national_id, subject_name, subject_ubn, notice_email, certificate_serial_hex,
                revocation_reason, receiving_office_code, clerk_id, seals_checked, transition_detail, created_at, updated_at)
            VALUES (@id, @requestId, @channel, @ServiceType, @Kind, 'RECEIVED', @ApplicantUbn, @ApplicantNationalId,
                @applicantName, @SubjectNationalId, @SubjectName, @SubjectUbn, @noticeEmail, @CertificateSerialHex,
                @revocationReason, @office, @clerk, @sealsChecked, @detail, @now, @now)
            """,
            new
            {
                id, requestId, channel = paper is null ? "ONLINE" : "PAPER",
                draft.Request.ServiceType, draft.Request.Kind, draft.Request.ApplicantUbn, draft.Request.ApplicantNationalId,
                applicantName = draft.ApplicantName, draft.Request.SubjectNationalId, draft.Request.SubjectName,
                draft.Request.SubjectUbn, noticeEmail = draft.NoticeEmail, draft.Request.CertificateSerialHex,
                revocationReason = draft.RevocationReasonCode, office = paper?.OfficeCode, clerk = paper?.ClerkId,
                sealsChecked = paper is null ? (bool?)null : true,
                detail = paper is null ? "submitted online" : $"paper application taken in at office {paper.OfficeCode}",
                now,
            }, tx, cancellationToken: ct));
        WroteEvents = true;
        Moves.Add(new AuditedMove(id, "RECEIVED"));
    }

    /// <summary>
    /// Keeps, on an ONLINE application, the office its operator is registered with, as eligibility read it. Paper
    /// applications are left alone: their office is the one that received the form, and a CHECK keeps it so.
    /// </summary>
    public Task RecordRegisteredOfficeAsync(Guid id, string officeCode, CancellationToken ct)
    {
        Changed.Add(id);
        return connection.ExecuteAsync(new CommandDefinition(
            "UPDATE applications SET registered_office_code = @officeCode WHERE id = @id AND channel = 'ONLINE'",
            new { id, officeCode }, tx, cancellationToken: ct));
    }

    /// <summary>Moves the application from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in another state.</summary>
    public async Task<bool> MoveAsync(
        Guid id, ApplicationStatus[] from, ApplicationStatus to, string detail,
        DateTimeOffset now, CancellationToken ct, IReadOnlyList<Rejection>? rejections = null, string? failureDetail = null)
    {
        // The trigger would refuse it too, but only after a round trip and with PostgreSQL's words.
        if (!from.All(f => ApplicationStateMachine.CanMove(f, to)))
            throw new InvalidOperationException($"no transition to {to} from every one of {string.Join(", ", from)}");
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE applications SET state = @to, transition_detail = @detail, updated_at = @now,
                rejection_reasons = COALESCE(@rejections::jsonb, rejection_reasons),
                failure_detail = COALESCE(@failureDetail, failure_detail)
            WHERE id = @id AND state = ANY(@from)
            """,
            new
            {
                id, from = from.Select(ApplicationStateMachine.Code).ToArray(), to = ApplicationStateMachine.Code(to), detail, now, failureDetail,
                rejections = rejections is null ? null : JsonSerializer.Serialize(rejections.Select(r => new { code = r.Code, text = r.Text, field = r.Field })),
            }, tx, cancellationToken: ct)) == 1;
        WroteEvents |= moved;
        if (moved)
        {
            Changed.Add(id);
            Moves.Add(new AuditedMove(id, ApplicationStateMachine.Code(to)));
        }
        return moved;
    }

    public Task<ApplicationRow> GetAsync(Guid id, CancellationToken ct) =>
        connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(
            $"SELECT {RowColumns.Application} FROM applications a WHERE a.id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>The application as it is now, or null.</summary>
    public Task<ApplicationRow?> FindAsync(Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ApplicationRow>(new CommandDefinition(
            $"SELECT {RowColumns.Application} FROM applications a WHERE a.id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Locks and returns the application, so a state decision and its write cannot interleave with another.</summary>
    public Task<ApplicationRow?> GetForUpdateAsync(Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ApplicationRow>(new CommandDefinition(
            $"SELECT {RowColumns.Application} FROM applications a WHERE a.id = @id FOR UPDATE OF a", new { id }, tx, cancellationToken: ct));

    /// <summary>
    /// The registry's name of the firm the application's subject works for, the O= of a personal certificate; null
    /// when the registry has no firm with the subject's UBN.
    /// </summary>
    public Task<string?> SubjectFirmNameAsync(Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT o.name FROM applications a JOIN operators o ON o.ubn = a.subject_ubn WHERE a.id = @id",
            new { id }, tx, cancellationToken: ct));

    public Task<Guid?> FindByRequestIdAsync(string requestId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM applications WHERE request_id = @requestId", new { requestId }, tx, cancellationToken: ct));
}

/// <summary>An application created or moved by a unit of work: what its audit row says.</summary>
public sealed record AuditedMove(Guid Application, string State);
