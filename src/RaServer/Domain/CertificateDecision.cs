using CaConnector;

namespace RaServer.Domain;

/// <summary>
/// What the RA decided, when it forwarded a NEW or RENEW, about the certificate the CA is to sign
/// (<see cref="Policy.CertificatePolicy"/>), stored with the CA request: the parts of its profile and its validity.
/// </summary>
/// <param name="Kind">PERSONAL or ORGANIZATION.</param>
/// <param name="Organization">O=: the firm (PERSONAL) or the operator itself (ORGANIZATION).</param>
/// <param name="CommonName">CN=: the broker; PERSONAL only.</param>
/// <param name="Ubn">serialNumber= and the UBN attribute.</param>
/// <param name="IdLastFour">The last four digits of the broker's national ID; PERSONAL only.</param>
/// <param name="ValidityYears">The paid term in calendar years.</param>
/// <param name="TermFrom">
/// Where the term starts when that is later than the issue: a renewal's is the renewed certificate's notAfter, so the
/// time left on it is not lost. The new certificate is valid from its issue all the same. Null for a NEW.
/// </param>
public sealed record CertificateDecision(
    string Kind, string Organization, string? CommonName, string Ubn, string? IdLastFour, int ValidityYears, DateTimeOffset? TermFrom = null)
{
    /// <summary>The profile the CA signs, built from the stored parts (and so checked again on the way out).</summary>
    public CertificateProfile Profile() => Kind == "PERSONAL"
        ? CertificateProfile.Personal(Organization, CommonName!, Ubn, IdLastFour!)
        : CertificateProfile.Organization(Organization, Ubn);
}
