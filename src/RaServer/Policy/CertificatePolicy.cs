using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// The certificate an approved NEW or RENEW gets, decided when the RA forwards the application: who it is for, from
/// the application and the registry (never from the CSR), and how long it lasts, from the fee schedule. Pure.
/// </summary>
public static class CertificatePolicy
{
    /// <param name="firmName">
    /// The registry's name of the firm a PERSONAL subject works for (O= of the certificate); null when the registry
    /// has none, and the firm's UBN stands in.
    /// </param>
    /// <param name="renewedNotAfter">
    /// For a RENEW, the renewed certificate's notAfter: the paid term runs from there (no paid validity is lost), while
    /// the new certificate is valid from its issue. Null for a NEW.
    /// </param>
    /// <exception cref="RaException">FailedPrecondition when the application's names cannot go into a certificate.</exception>
    public static CertificateDecision Decide(ApplicationRow application, string? firmName, FeeOptions fees, DateTimeOffset? renewedNotAfter = null)
    {
        var years = FeeSchedule.For(fees, application.Kind, application.ServiceType)?.ValidityYears
            ?? throw new InvalidOperationException($"Fees:Schedule has no validity for {application.Kind} {application.ServiceType}");
        var decision = application.Kind == "PERSONAL"
            ? new CertificateDecision(application.Kind, firmName ?? application.SubjectUbn, application.SubjectName, application.SubjectUbn,
                application.SubjectNationalId![^4..], years, TermFrom(application, renewedNotAfter))
            : new CertificateDecision(application.Kind, application.SubjectName, null, application.SubjectUbn, null, years,
                TermFrom(application, renewedNotAfter));
        try
        {
            // Refused now, while the applicant is there to hear it, not later at the CA.
            _ = decision.Profile();
        }
        catch (ArgumentException)
        {
            throw new RaException(RaErrorKind.FailedPrecondition, "CERTIFICATE_PROFILE_INVALID",
                "the application's subject cannot go into a certificate (a name too long or not encodable)");
        }
        return decision;
    }

    private static DateTimeOffset? TermFrom(ApplicationRow application, DateTimeOffset? renewedNotAfter) =>
        application.ServiceType == "RENEW" ? renewedNotAfter : null;
}
