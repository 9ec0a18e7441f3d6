using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// Decides whether an application may proceed, from the registry and the RA's records (docs/DOMAIN.md: "the data is
/// matched against the customs pre-report system's records; a mismatch or an unqualified applicant is
/// rejected"). Pure: facts in, every failed rule out, never just "rejected".
/// </summary>
public static class EligibilityPolicy
{

    public static IReadOnlyList<EligibilityFailure> Evaluate(EligibilityFacts facts, EligibilityOptions options)
    {
        var failures = new List<EligibilityFailure>();
        var request = facts.Request;
        var today = TaiwanTime.DateOf(facts.Now); // mandates are Taiwan calendar dates

        if (request.ServiceType != "NEW")
            CheckCertificate(facts, options, failures);

        // The holder must still qualify for a new or renewed certificate. Revocation and holds need no
        // qualification (a disqualified broker's certificate must still be revocable); ownership suffices.
        if (request.ServiceType is "NEW" or "RENEW")
        {
            if (request.Kind == "PERSONAL")
                CheckPersonal(facts, today, failures);
            else
                CheckOrganization(facts, options, failures);
        }
        return failures;
    }

    private static void CheckPersonal(EligibilityFacts facts, DateOnly today, List<EligibilityFailure> failures)
    {
        var request = facts.Request;
        // The firm applies for its broker (signed with the firm's MOEACA), or the broker applies himself (MOICA).
        if (request.ApplicantUbn is { } ubn && ubn != request.SubjectUbn)
            failures.Add(new("APPLICANT_NOT_FIRM", "a firm may apply only for brokers mandated to itself", "content.personal.firm_ubn"));
        if (request.ApplicantNationalId is { } id && id != request.SubjectNationalId)
            failures.Add(new("APPLICANT_NOT_SUBJECT", "a person may apply only for his own certificate", "content.personal.national_id"));

        CheckFirm(facts.Firm, "content.personal.firm_ubn", failures, customsBrokerOnly: true);

        if (facts.Broker is not { } broker)
        {
            failures.Add(new("BROKER_NOT_REGISTERED", "the customs registry has no licensed broker with this national ID", "content.personal.national_id"));
            return;
        }
        if (broker.Status != "ACTIVE")
            failures.Add(new("BROKER_NOT_QUALIFIED", $"the broker's licence is {broker.Status.ToLowerInvariant()}", "content.personal.national_id"));
        if (broker.Name != request.SubjectName)
            failures.Add(new("SUBJECT_NAME_MISMATCH", "the name does not match the customs registry", "content.personal.name"));
        if (!broker.MandatesAtFirm.Any(m => m.Start <= today && (m.End is null || m.End >= today)))
            failures.Add(new("MANDATE_NOT_ACTIVE", "the broker has no active mandate with this firm today", "content.personal.firm_ubn"));
    }

    private static void CheckOrganization(EligibilityFacts facts, EligibilityOptions options, List<EligibilityFailure> failures)
    {
        var request = facts.Request;
        if (request.ApplicantUbn != request.SubjectUbn)
            failures.Add(new("APPLICANT_NOT_SUBJECT", "an operator may apply only for its own certificate", "content.organization.ubn"));
        if (CheckFirm(facts.Firm, "content.organization.ubn", failures, customsBrokerOnly: false) is not { } firm)
            return;
        if (!options.EligibleOperatorKinds.Contains(firm.Kind))
            failures.Add(new("OPERATOR_KIND_NOT_ELIGIBLE", $"operators of kind {firm.Kind} cannot hold this certificate", "content.organization.ubn"));
        if (firm.Name != request.SubjectName)
            failures.Add(new("SUBJECT_NAME_MISMATCH", "the name does not match the customs registry", "content.organization.name"));
    }

    private static OperatorFacts? CheckFirm(OperatorFacts? firm, string field, List<EligibilityFailure> failures, bool customsBrokerOnly)
    {
        if (firm is null)
        {
            failures.Add(new("OPERATOR_NOT_REGISTERED", "the customs registry has no operator with this UBN", field));
            return null;
        }
        if (firm.Status != "ACTIVE")
            failures.Add(new("OPERATOR_NOT_ACTIVE", $"the operator is {firm.Status.ToLowerInvariant()} in the customs registry", field));
        if (customsBrokerOnly && firm.Kind != "CUSTOMS_BROKER")
            failures.Add(new("FIRM_NOT_CUSTOMS_BROKER", "personal certificates are for brokers of customs broker firms", field));
        return firm;
    }

    private static void CheckCertificate(EligibilityFacts facts, EligibilityOptions options, List<EligibilityFailure> failures)
    {
        const string field = "content.certificate_serial_hex";
        var request = facts.Request;
        // Someone else's serial gets exactly the answer of an unknown one (reason, message and field), so an
        // application cannot be used to probe which serials exist.
        var owned = facts.Certificate is { } found
                    && ((request.ApplicantUbn is { } ubn && ubn == found.OwnerUbn)
                        || (request.ApplicantNationalId is { } id && (id == found.OwnerNationalId || id == found.HolderNationalId)));
        if (!owned)
        {
            failures.Add(new("CERTIFICATE_NOT_FOUND", "the applicant has no certificate with this serial", field));
            return;
        }
        var certificate = facts.Certificate!;
        if (certificate.Kind != request.Kind)
            failures.Add(new("CERTIFICATE_KIND_MISMATCH", $"the certificate is {certificate.Kind}, not {request.Kind}", "content.kind"));
        if (certificate.HolderNationalId != request.SubjectNationalId || certificate.FirmUbn != request.SubjectUbn)
            failures.Add(new("SUBJECT_NOT_CERTIFICATE_HOLDER", "the subject does not match the certificate's holder", field));
        if (facts.OpenApplicationForCertificate)
            failures.Add(new("OPEN_APPLICATION_EXISTS", "another application for this certificate is still open", field));

        var expired = certificate.NotAfter <= facts.Now;
        if (certificate.State == "REVOKED")
        {
            failures.Add(new("CERTIFICATE_REVOKED", "the certificate is revoked", field));
            return;
        }
        if (expired)
        {
            failures.Add(new("CERTIFICATE_EXPIRED", "the certificate has expired", field));
            return;
        }
        switch (request.ServiceType)
        {
            case "SUSPEND" when certificate.State != "ACTIVE":
                failures.Add(new("CERTIFICATE_NOT_ACTIVE", "only an active certificate can be suspended", field));
                break;
            case "UNSUSPEND" when certificate.State != "SUSPENDED":
                failures.Add(new("CERTIFICATE_NOT_SUSPENDED", "only a suspended certificate can be unsuspended", field));
                break;
            case "RENEW":
                if (certificate.State != "ACTIVE")
                    failures.Add(new("CERTIFICATE_NOT_ACTIVE", "only an active certificate can be renewed", field));
                if (certificate.AlreadyRenewed)
                    failures.Add(new("CERTIFICATE_ALREADY_RENEWED", "the certificate has already been renewed", field));
                if (certificate.NotAfter - facts.Now > TimeSpan.FromDays(options.RenewWindowDays))
                    failures.Add(new("RENEWAL_TOO_EARLY", $"renewal opens {options.RenewWindowDays} days before expiry", field));
                break;
        }
    }
}
