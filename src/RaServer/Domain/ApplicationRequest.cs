namespace RaServer.Domain;

/// <summary>What an application asks for, in the RA's terms (short enum names as stored).</summary>
public sealed record ApplicationRequest(
    string ServiceType,          // NEW, RENEW, REVOKE, SUSPEND, UNSUSPEND
    string Kind,                 // PERSONAL, ORGANIZATION
    string? ApplicantUbn,        // exactly one of the two applicant identifiers is set
    string? ApplicantNationalId,
    string? SubjectNationalId,   // PERSONAL only
    string SubjectName,
    string SubjectUbn,           // PERSONAL: the firm; ORGANIZATION: the operator
    string? CertificateSerialHex);
