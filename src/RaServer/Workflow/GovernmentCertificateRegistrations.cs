using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Workflow;

/// <summary>
/// Registering a government PKI certificate (MOEACA, MOICA, GCA, XCA) for Single Window messaging, by its DER. The
/// request must be signed with that very certificate, so the envelope's checks (chain, dates, key usage, its CA's CRL)
/// have judged it and its holder is the applicant; here: that it is a government certificate, that the holder is of the
/// kind its CA serves, and that the firm is one the holder may register for, by the rules of the customs certificates.
/// </summary>
public sealed class GovernmentCertificateRegistrations(GovernmentCertificateInspector inspector, TimeProvider clock)
{
    private const string HolderKindField = "holder_kind";

    public async Task<GovernmentCertificateRow> RegisterAsync(
        UnitOfWork uow, byte[] der, GovernmentHolderType? declaredKind, string firmUbn, ApplicantKey applicant,
        VerifiedSigner signer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var certificate = inspector.Inspect(der);
        if (!der.AsSpan().SequenceEqual(signer.CertificateDer.Span))
            throw new RaException(RaErrorKind.PermissionDenied, "GOVERNMENT_CERT_NOT_SIGNER",
                "the request must be signed with the certificate it registers",
                [new FieldProblem(GovernmentCertificateInspector.Field, "sign the request with this certificate")]);

        var served = GovernmentPkiPolicy.Serves(certificate.Authority);
        if (declaredKind != served)
            throw RaException.InvalidField("HOLDER_KIND_NOT_SERVED", HolderKindField,
                $"{certificate.Authority.ToString().ToUpperInvariant()} serves {served.ToString().ToUpperInvariant()} holders");
        // The envelope bound the applicant to the signer: an organisation applicant to the UBN the certificate carries, a
        // person to the national ID whose last four digits and name it carries. So the applicant is the holder.
        if (!GovernmentPkiPolicy.CarriesIdentifier(served, applicant.Ubn, applicant.NationalId))
            throw RaException.InvalidField("HOLDER_KIND_NOT_SERVED", HolderKindField,
                served == GovernmentHolderType.Person
                    ? "the certificate does not identify a person"
                    : "the certificate does not carry the holder's UBN");

        var person = served == GovernmentHolderType.Person;
        if (person)
        {
            if (!await uow.Qualification.BrokerMayActForAsync(applicant.NationalId, firmUbn, now, ct))
                throw new RaException(RaErrorKind.FailedPrecondition, "NO_CURRENT_MANDATE",
                    "the holder is not a qualified broker with a current mandate at this firm", [new FieldProblem("firm_ubn", "no current mandate")]);
        }
        else if (applicant.Ubn != firmUbn)
        {
            throw new RaException(RaErrorKind.FailedPrecondition, "FIRM_NOT_HOLDER", "a certificate of a firm, agency or organisation is registered for its own UBN only",
                [new FieldProblem("firm_ubn", $"must be {applicant.Ubn}")]);
        }

        var row = new GovernmentCertificateRow
        {
            Sha256 = certificate.Sha256,
            Der = der,
            Authority = certificate.Authority,
            IssuerDn = certificate.IssuerDn,
            IssuerKeyId = certificate.IssuerKeyId,
            SerialHex = certificate.SerialHex,
            SubjectDn = certificate.SubjectDn,
            HolderKind = served,
            HolderUbn = person ? null : applicant.Ubn,
            HolderNationalId = person ? applicant.NationalId : null,
            HolderName = certificate.HolderName,
            NotBefore = certificate.NotBefore,
            NotAfter = certificate.NotAfter,
            RegisteredFirmUbn = firmUbn,
            RegisteredAt = now.UtcDateTime,
        };
        await uow.GovernmentCertificates.RegisterAsync(row, ct);
        return await uow.GovernmentCertificates.FindAsync(certificate.Sha256, ct)
            ?? throw new InvalidOperationException("the registration just written is not there");
    }
}
