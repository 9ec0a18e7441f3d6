using Customs.Ra.V1;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Api;

/// <summary>
/// Turns the contract's Applicant + ApplicationContent into a draft, or reports every invalid field at once.
/// Pure: format and checksum problems only; whether the applicant may have the certificate is eligibility.
/// </summary>
public static class ApplicationDraftReader
{
    public static ApplicationDraft Read(Applicant? applicant, ApplicationContent? content, string prefix = "")
    {
        var problems = new List<FieldProblem>();
        void Problem(string field, string description) => problems.Add(new FieldProblem(prefix + field, description));

        if (content is null)
            throw RaException.InvalidField("APPLICATION_INVALID", prefix + "content", "the application content is required");
        if (content.ServiceType == ServiceType.Unspecified)
            Problem("content.service_type", "a service type is required");
        if (content.Kind == CertificateKind.Unspecified)
            Problem("content.kind", "a certificate kind is required");

        string? subjectNationalId = null, subjectName = null, subjectUbn = null;
        switch (content.SubjectCase)
        {
            case ApplicationContent.SubjectOneofCase.Personal when content.Kind == CertificateKind.Personal:
                subjectNationalId = content.Personal.NationalId;
                subjectName = content.Personal.Name.Trim();
                subjectUbn = content.Personal.FirmUbn;
                if (!TaiwanIdentifiers.IsValidPersonId(subjectNationalId))
                    Problem("content.personal.national_id", "not a valid national ID or resident number");
                if (!TaiwanIdentifiers.IsValidUbn(subjectUbn))
                    Problem("content.personal.firm_ubn", "not a valid unified business number");
                if (subjectName.Length == 0)
                    Problem("content.personal.name", "the broker's name is required");
                break;
            case ApplicationContent.SubjectOneofCase.Organization when content.Kind == CertificateKind.Organization:
                subjectName = content.Organization.Name.Trim();
                subjectUbn = content.Organization.Ubn;
                if (!TaiwanIdentifiers.IsValidUbn(subjectUbn))
                    Problem("content.organization.ubn", "not a valid unified business number");
                if (subjectName.Length == 0)
                    Problem("content.organization.name", "the operator's name is required");
                break;
            default:
                Problem("content.subject", "set personal for a PERSONAL certificate or organization for an ORGANIZATION one");
                break;
        }

        var email = content.NoticeEmail.Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            Problem("content.notice_email", "a valid e-mail address for notices is required");

        var serial = CaConnector.SerialNumbers.TryCanonical(content.CertificateSerialHex, out var canonical) ? canonical : null;
        if (content.ServiceType == ServiceType.New && !string.IsNullOrWhiteSpace(content.CertificateSerialHex))
            Problem("content.certificate_serial_hex", "a new application names no certificate");
        if (content.ServiceType is not (ServiceType.New or ServiceType.Unspecified) && serial is null)
            Problem("content.certificate_serial_hex", "the serial number (hex) of the certificate is required");

        int? reasonCode = null;
        if (content.ServiceType == ServiceType.Revoke)
        {
            if (RevocationReasonMapping.FromProto(content.RevocationReason) is not { } reason || reason == CaConnector.RevocationReason.CertificateHold)
                Problem("content.revocation_reason", "a revocation reason is required (a hold is a SUSPEND application)");
            else
                reasonCode = CaConnector.CrlReasonCodes.CodeOf(reason);
        }
        else if (content.RevocationReason != RevocationReason.Unspecified)
        {
            Problem("content.revocation_reason", "only a REVOKE application takes a revocation reason");
        }

        var (applicantUbn, applicantId, applicantName) = applicant?.IdentityCase switch
        {
            Applicant.IdentityOneofCase.Organization => (applicant.Organization.Ubn, (string?)null, applicant.Organization.Name.Trim()),
            Applicant.IdentityOneofCase.Person => ((string?)null, applicant.Person.NationalId, applicant.Person.Name.Trim()),
            _ => (null, null, ""),
        };
        if (applicantUbn is null && applicantId is null)
            Problem("applicant", "the applicant (an organization or a person) is required");
        else if (applicantUbn is not null && !TaiwanIdentifiers.IsValidUbn(applicantUbn))
            Problem("applicant.organization.ubn", "not a valid unified business number");
        else if (applicantId is not null && !TaiwanIdentifiers.IsValidPersonId(applicantId))
            Problem("applicant.person.national_id", "not a valid national ID or resident number");
        else if (applicantName.Length == 0)
            Problem("applicant", "the applicant's name is required");

        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, "APPLICATION_INVALID", $"the application is invalid: {problems[0].Description}", problems);

        var request = new ApplicationRequest(
            ProtoEnums.ShortName(content.ServiceType), ProtoEnums.ShortName(content.Kind), applicantUbn, applicantId,
            subjectNationalId, subjectName!, subjectUbn!, serial);
        return new ApplicationDraft(request, applicantName, email, reasonCode);
    }
}
