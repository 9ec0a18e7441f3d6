using System.Security.Cryptography.X509Certificates;
using CaConnector;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Policy;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Records what the CA did, in the same transaction that closes the outbox row: the certificate and its state,
/// the application's move to COMPLETED or FAILED (with its event), the e-mail to the applicant, and for a renewal
/// the move of the old certificate's registration to the new one.
/// </summary>
public sealed class CaCompletion(CertificateRegistrations registrations, TimeProvider clock)
{
    /// <param name="certificate">The dispatcher's one parse of <paramref name="issued"/>'s certificate.</param>
    public async Task IssuedAsync(UnitOfWork uow, CaRequestRow request, CaIssuedCertificate issued, X509Certificate2 certificate, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var serial = SerialNumbers.Canonical(certificate.SerialNumber);
        await uow.Certificates.InsertIssuedAsync(new IssuedCertificateRecord(
            serial, request.Kind, request.SubjectNationalId, request.SubjectName, request.SubjectUbn, request.ApplicantUbn,
            request.ApplicantNationalId, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(),
            issued.CertificateDer, issued.ChainDer.ToArray(), request.ApplicationId,
            request.Operation == "RENEW" ? request.CertificateSerialHex : null), now, ct);
        if (request.Operation == "RENEW")
            await registrations.TakeOverAsync(uow, request.CertificateSerialHex!, await uow.Certificates.GetAsync(serial, ct), now, ct);
        await CompleteAsync(uow, request, ApplicationStatus.Completed, $"certificate {serial} issued", null, now, ct);
        await uow.Mail.EnqueueAsync(MailNotice.Create(request.NoticeEmail,
            new CertificateReadyNotice(request.ApplicationId.ToString("D"), serial)), ct);
    }

    public async Task StatusChangedAsync(UnitOfWork uow, CaRequestRow request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (state, change) = request.Operation switch
        {
            "SUSPEND" => ("SUSPENDED", CertificateStatusChange.Suspended),
            "UNSUSPEND" => ("ACTIVE", CertificateStatusChange.Unsuspended),
            "REVOKE" => ("REVOKED", CertificateStatusChange.Revoked),
            _ => throw new InvalidOperationException($"{request.Operation} is not a status change"),
        };
        await uow.Certificates.SetStateAsync(request.CertificateSerialHex!, state, request.RevocationReason, now, ct);
        await CompleteAsync(uow, request, ApplicationStatus.Completed, $"certificate {request.CertificateSerialHex} {state.ToLowerInvariant()}", null, now, ct);
        await uow.Mail.EnqueueAsync(MailNotice.Create(request.NoticeEmail,
            new CertificateStatusChangedNotice(request.ApplicationId.ToString("D"), request.CertificateSerialHex!, change)), ct);
    }

    /// <summary>
    /// The CA's text stays in the failure detail (and the dispatcher's log); the applicant is told only a stable
    /// code built from the CMP failInfo names, which a help desk can look up and which never leaks the CA's wording.
    /// </summary>
    public async Task RefusedAsync(UnitOfWork uow, CaRequestRow request, CaRefusedException refusal, CancellationToken ct)
    {
        await CompleteAsync(uow, request, ApplicationStatus.Failed, "the CA refused the request", refusal.Message, clock.GetUtcNow(), ct);
        await NotifyFailedAsync(uow, request, RefusalCode(refusal.FailureInfo), ct);
    }

    /// <summary>CA_REFUSED, then the failInfo bits by their RFC 4210 names in bit order, e.g. CA_REFUSED:BadCertTemplate.</summary>
    public static string RefusalCode(CmpFailureInfo info)
    {
        var names = Enum.GetValues<CmpFailureInfo>().Where(flag => flag != CmpFailureInfo.None && info.HasFlag(flag)).Select(flag => flag.ToString());
        var joined = string.Join('+', names);
        return joined.Length == 0 ? "CA_REFUSED" : $"CA_REFUSED:{joined}";
    }

    /// <summary>
    /// An issue written before the RA stored its certificate decision with the request (migration 0013): its
    /// validity was configuration, not data, so it is failed with that reason rather than guessed at.
    /// </summary>
    public async Task UndecidedAsync(UnitOfWork uow, CaRequestRow request, CancellationToken ct)
    {
        await CompleteAsync(uow, request, ApplicationStatus.Failed, "the request carries no certificate decision",
            "the CA request was written before the RA stored its certificate decision (migration 0013) and was not sent", clock.GetUtcNow(), ct);
        await NotifyFailedAsync(uow, request, "NO_CERTIFICATE_DECISION", ct);
    }

    // Every way an application ends FAILED tells the applicant, in the same transaction as the move (§5).
    private static Task NotifyFailedAsync(UnitOfWork uow, CaRequestRow request, string reasonCode, CancellationToken ct) =>
        uow.Mail.EnqueueAsync(MailNotice.Create(request.NoticeEmail,
            new ApplicationFailedNotice(request.ApplicationId.ToString("D"), reasonCode)), ct);

    private static async Task CompleteAsync(
        UnitOfWork uow, CaRequestRow request, ApplicationStatus to, string detail, string? failure,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!await uow.Applications.MoveAsync(request.ApplicationId, [ApplicationStatus.Forwarded], to, detail, now, ct, failureDetail: failure))
            throw new InvalidOperationException($"application {request.ApplicationId} of CA request {request.Id} is not FORWARDED");
        await uow.CaRequests.CompleteAsync(request.Id, now, failure, ct);
    }
}
