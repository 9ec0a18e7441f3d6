using RaServer.Api;
using RaServer.Storage;
using RaServer.Workflow;
namespace RaServer.Domain;

/// <summary>One row of the applications table, as stored (enum values by their short names).</summary>
public sealed record ApplicationRow
{
    public required Guid Id { get; init; }
    public required string RequestId { get; init; }
    public required string Channel { get; init; }
    public required string ServiceType { get; init; }
    public required string Kind { get; init; }
    public required string State { get; init; }
    public string? ApplicantUbn { get; init; }
    public string? ApplicantNationalId { get; init; }
    public required string ApplicantName { get; init; }
    public string? SubjectNationalId { get; init; }
    public required string SubjectName { get; init; }
    public required string SubjectUbn { get; init; }
    public required string NoticeEmail { get; init; }
    public string? CertificateSerialHex { get; init; }
    public int? RevocationReason { get; init; }
    public string? ReceivingOfficeCode { get; init; }
    public string? ClerkId { get; init; }
    public bool? SealsChecked { get; init; }
    public string? RejectionReasons { get; init; }
    public string? FailureDetail { get; init; }
    public string? IssuedSerialHex { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
    /// <summary>The sequence of its latest numbered event (0 while none is numbered yet).</summary>
    public long LastEventSequence { get; init; }

    /// <summary>The SELECT list matching this record, for every query that reads whole applications.</summary>
    internal const string Columns = """
        a.id AS Id, a.request_id AS RequestId, a.channel AS Channel, a.service_type AS ServiceType, a.kind AS Kind,
        a.state AS State, a.applicant_ubn AS ApplicantUbn, a.applicant_national_id AS ApplicantNationalId,
        a.applicant_name AS ApplicantName, a.subject_national_id AS SubjectNationalId, a.subject_name AS SubjectName,
        a.subject_ubn AS SubjectUbn, a.notice_email AS NoticeEmail, a.certificate_serial_hex AS CertificateSerialHex,
        a.revocation_reason AS RevocationReason, a.receiving_office_code AS ReceivingOfficeCode, a.clerk_id AS ClerkId,
        a.seals_checked AS SealsChecked, a.rejection_reasons::text AS RejectionReasons, a.failure_detail AS FailureDetail,
        a.issued_serial_hex AS IssuedSerialHex, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt,
        COALESCE((SELECT max(e.sequence) FROM application_events e WHERE e.application_id = a.id), 0) AS LastEventSequence
        """;
}

/// <summary>Who is asking: applicants only ever see their own applications.</summary>
public sealed record ApplicantKey(string? Ubn, string? NationalId);
