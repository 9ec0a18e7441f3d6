using System.Text;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Trust;

/// <summary>
/// Whether the verified signer is the applicant the request names: a company signs for its own UBN, a
/// citizen for their own ID and name. Pure: no I/O, no clock.
/// </summary>
public static class ApplicantBinding
{
    public const string UbnField = "header.applicant.organization.ubn";
    public const string PersonIdField = "header.applicant.person.national_id";

    public static void Ensure(VerifiedSigner signer, string? applicantUbn, string? applicantPersonId, string? applicantName)
    {
        if (applicantUbn is not null && !TaiwanIdentifiers.IsValidUbn(applicantUbn))
            throw RaException.InvalidField("UBN_INVALID", UbnField, "not a valid Unified Business Number (8 digits with a valid checksum)");
        if (applicantPersonId is not null && !TaiwanIdentifiers.IsValidPersonId(applicantPersonId))
            throw RaException.InvalidField("PERSON_ID_INVALID", PersonIdField, "not a valid national ID or resident number");

        var bound = signer.Kind switch
        {
            SignerKind.Organization => applicantUbn is not null && signer.Ubn == applicantUbn,
            // MOICA holds only the last four digits, so the name must match as well.
            SignerKind.Person => applicantPersonId is not null && signer.IdLastFour is not null
                && applicantPersonId.EndsWith(signer.IdLastFour, StringComparison.Ordinal)
                && SameName(signer.PersonName, applicantName),
            _ => false,
        };
        if (!bound)
            throw new RaException(RaErrorKind.PermissionDenied, "SIGNER_NOT_APPLICANT",
                "The request is not signed by the applicant it names: a company must sign with its own certificate, a person with their own.");
    }

    // The same Chinese name can arrive composed or decomposed from different input methods.
    private static bool SameName(string? certificateName, string? claimedName) =>
        certificateName is not null && claimedName is not null
        && string.Equals(certificateName.Trim().Normalize(NormalizationForm.FormC),
            claimedName.Trim().Normalize(NormalizationForm.FormC), StringComparison.Ordinal);
}
