namespace RaServer.Domain;

/// <summary>One row of the applications table, as stored (enum values by their short names).</summary>
public sealed record ApplicationRow
{
    public required Guid Id { get; init; }
    public required string RequestId { get; init; }
    public required string Channel { get; init; }
    public required string ServiceType { get; init; }
    public required string Kind { get; init; }
    public required ApplicationStatus State { get; init; }

    /// <summary>Dapper fills <see cref="State"/> through this: the column holds the state's stored name.</summary>
    private string StateCode { init => State = ApplicationStateMachine.Parse(value); }
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
    /// <summary>ONLINE only: the office the subject's operator was registered with at submission (migration 0019).</summary>
    public string? RegisteredOfficeCode { get; init; }
    public string? ClerkId { get; init; }
    public bool? SealsChecked { get; init; }
    public string? RejectionReasons { get; init; }
    public string? FailureDetail { get; init; }
    public string? IssuedSerialHex { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
    /// <summary>The sequence of its latest numbered event (0 while none is numbered yet).</summary>
    public long LastEventSequence { get; init; }
}

/// <summary>Who is asking: applicants only ever see their own applications.</summary>
public sealed record ApplicantKey(string? Ubn, string? NationalId);
