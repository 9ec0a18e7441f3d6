using RaServer.Hosting;
using RaServer.Workers;
namespace RaServer.Domain;

/// <summary>A claimed ca_requests row joined with what the CA needs from its application.</summary>
public sealed record CaRequestRow
{
    public required long Id { get; init; }
    public required Guid ApplicationId { get; init; }
    public required string Operation { get; init; }
    public string? CertificateSerialHex { get; init; }
    public int? RevocationReason { get; init; }
    public byte[]? CsrDer { get; init; }
    public required int Attempts { get; init; }
    public required string Kind { get; init; }
    public string? SubjectNationalId { get; init; }
    public required string SubjectName { get; init; }
    public required string SubjectUbn { get; init; }
    public string? FirmName { get; init; }
    public string? ApplicantUbn { get; init; }
    public string? ApplicantNationalId { get; init; }
    public required string NoticeEmail { get; init; }
}
