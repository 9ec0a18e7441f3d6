namespace RaServer.Domain;

/// <summary>A claimed ca_requests row joined with what completing it needs from its application.</summary>
public sealed record CaRequestRow
{
    public required long Id { get; init; }
    public required Guid ApplicationId { get; init; }
    public required string Operation { get; init; }
    public string? CertificateSerialHex { get; init; }
    public int? RevocationReason { get; init; }
    public byte[]? CsrDer { get; init; }
    public string? ProfileKind { get; init; }
    public string? ProfileOrganization { get; init; }
    public string? ProfileCommonName { get; init; }
    public string? ProfileUbn { get; init; }
    public string? ProfileIdLastFour { get; init; }
    public int? ValidityYears { get; init; }
    public DateTime? TermFrom { get; init; }
    public required int Attempts { get; init; }
    public required string Kind { get; init; }
    public string? SubjectNationalId { get; init; }
    public required string SubjectName { get; init; }
    public required string SubjectUbn { get; init; }
    public string? ApplicantUbn { get; init; }
    public string? ApplicantNationalId { get; init; }
    public required string NoticeEmail { get; init; }

    /// <summary>
    /// The certificate the RA decided on for an ISSUE or RENEW; null for a status change, and for an issue written
    /// before decisions were stored (migration 0013).
    /// </summary>
    public CertificateDecision? Decision => ProfileKind is null
        ? null
        : new(ProfileKind, ProfileOrganization!, ProfileCommonName, ProfileUbn!, ProfileIdLastFour, ValidityYears!.Value,
            TermFrom is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)) : null);
}
