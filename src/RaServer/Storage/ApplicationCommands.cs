using System.Text.Json;
using Dapper;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Workflow;

namespace RaServer.Storage;

/// <summary>The paper-intake facts stored with a paper application.</summary>
public sealed record PaperIntakeInfo(string OfficeCode, string ClerkId);

/// <summary>A reason an application was rejected, as stored and as sent to the applicant.</summary>
public sealed record Rejection(string Code, string Text, string? Field);

/// <summary>
/// Writes to the applications table. Every state change goes through <see cref="MoveAsync"/>, which names the
/// state it expects to leave: the row's trigger refuses transitions outside the state machine and writes the
/// event, and the WHERE clause turns a lost race (someone else moved it first) into a clear failure.
/// </summary>
internal static class ApplicationCommands
{
    public static Task InsertReceivedAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string requestId, ApplicationDraft draft,
        PaperIntakeInfo? paper, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
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

    /// <summary>Moves the application from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in another state.</summary>
    public static async Task<bool> MoveAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string[] from, string to, string detail,
        DateTimeOffset now, CancellationToken ct, IReadOnlyList<Rejection>? rejections = null, string? failureDetail = null) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE applications SET state = @to, transition_detail = @detail, updated_at = @now,
                rejection_reasons = COALESCE(@rejections::jsonb, rejection_reasons),
                failure_detail = COALESCE(@failureDetail, failure_detail)
            WHERE id = @id AND state = ANY(@from)
            """,
            new
            {
                id, from, to, detail, now, failureDetail,
                rejections = rejections is null ? null : JsonSerializer.Serialize(rejections.Select(r => new { code = r.Code, text = r.Text, field = r.Field })),
            }, tx, cancellationToken: ct)) == 1;

    public static Task<ApplicationRow> GetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(
            $"SELECT {ApplicationRow.Columns} FROM applications a WHERE a.id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Locks and returns the application, so a state decision and its write cannot interleave with another.</summary>
    public static Task<ApplicationRow?> GetForUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ApplicationRow>(new CommandDefinition(
            $"SELECT {ApplicationRow.Columns} FROM applications a WHERE a.id = @id FOR UPDATE OF a", new { id }, tx, cancellationToken: ct));

    public static Task<Guid?> FindByRequestIdAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string requestId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM applications WHERE request_id = @requestId", new { requestId }, tx, cancellationToken: ct));
}
