using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// The application's day job up to the CA (docs/ARCHITECTURE.md §2): take it in, decide eligibility, then reject it, issue
/// its payment slip, or forward it. Every step runs in the caller's transaction, together with its event rows
/// (written by the table's trigger) and its e-mail and CA outbox rows, so a step happens whole or not at all.
/// </summary>
public sealed class ApplicationWorkflow(
    TimeProvider clock,
    IOptions<FeeOptions> fees,
    IOptions<EligibilityOptions> eligibility)
{
    /// <summary>
    /// Stores a new application and takes it as far as it can go at once. An online application that fails
    /// eligibility is REJECTED with every failed rule; a paper one likewise, for the office to pass on.
    /// </summary>
    public async Task<ApplicationRow> SubmitAsync(
        UnitOfWork uow, ApplicationDraft draft, string requestId, PaperIntakeInfo? paper,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.NewGuid();
        await uow.Applications.InsertReceivedAsync(id, requestId, draft, paper, now, ct);

        var facts = await uow.Eligibility.ReadAsync(id, draft.Request, now, ct);
        // From the same registry row eligibility judges, so the office shown is the one of the operator that qualified.
        if (paper is null && facts.Firm is { } firm)
            await uow.Applications.RecordRegisteredOfficeAsync(id, firm.CustomsOfficeCode, ct);
        var failures = EligibilityPolicy.Evaluate(facts, eligibility.Value);
        if (failures.Count > 0)
        {
            await RejectAsync(uow, id, [ApplicationStatus.Received], failures.Select(f => new Rejection(f.Code, f.Message, f.Field)).ToList(),
                "not eligible", draft.NoticeEmail, now, ct);
        }
        else if (FeeSchedule.RequiresPayment(draft.Request.ServiceType))
        {
            var fee = FeeSchedule.For(fees.Value, draft.Request.Kind, draft.Request.ServiceType)
                ?? throw new InvalidOperationException($"Fees:Schedule has no entry for {draft.Request.Kind} {draft.Request.ServiceType}");
            var slip = await uow.PaymentSlips.IssueAsync(id, fee.AmountNtd, now, TimeSpan.FromDays(fees.Value.PaymentDeadlineDays), ct);
            await MoveOrThrowAsync(uow, id, [ApplicationStatus.Received], ApplicationStatus.AwaitingPayment, $"payment slip {slip.SlipNumber} issued", now, ct);
            await uow.Mail.EnqueueAsync(MailNotice.Create(draft.NoticeEmail,
                new PaymentSlipIssuedNotice(id.ToString("D"), slip.SlipNumber, slip.AmountNtd, slip.DueDate)), ct);
        }
        else
        {
            await uow.CaRequests.EnqueueStatusChangeAsync(id, draft, now, ct);
            await MoveOrThrowAsync(uow, id, [ApplicationStatus.Received], ApplicationStatus.Forwarded, $"{draft.Request.ServiceType} forwarded to the CA", now, ct);
        }
        return await uow.Applications.GetAsync(id, ct);
    }

    /// <summary>
    /// The applicant's key for a paid NEW / RENEW: the CSR must pass the key policy (its self-signature is the
    /// proof of possession). The RA decides the certificate's profile and validity here, and the CA request goes to
    /// the outbox with that decision and the move to FORWARDED.
    /// </summary>
    public async Task<ApplicationRow> SubmitCsrAsync(
        UnitOfWork uow, Guid id, ApplicantKey applicant, byte[] csrDer, CancellationToken ct)
    {
        var application = await uow.Applications.GetForUpdateAsync(id, ct);
        var owned = application is not null && (applicant.Ubn is not null
            ? application.ApplicantUbn == applicant.Ubn
            : application.ApplicantNationalId == applicant.NationalId);
        if (!owned)
            throw new RaException(RaErrorKind.NotFound, "APPLICATION_NOT_FOUND", "no such application for this applicant");
        if (application!.State != ApplicationStatus.AwaitingKey)
            throw new RaException(RaErrorKind.FailedPrecondition, "APPLICATION_NOT_AWAITING_KEY",
                $"a key is submitted only after payment; this application is {ApplicationStateMachine.Code(application.State)}");
        var check = CsrPolicy.Check(csrDer);
        if (!check.IsAccepted)
            throw RaException.InvalidField(check.ReasonCode!, "csr_der", check.Detail ?? "the CSR was refused");

        var renewed = application.ServiceType == "RENEW" && application.CertificateSerialHex is { } renewedSerial
            ? await uow.Certificates.FindAsync(renewedSerial, ct)
            : null;
        var decision = CertificatePolicy.Decide(application, await uow.Applications.SubjectFirmNameAsync(id, ct), fees.Value,
            renewed is null ? null : new DateTimeOffset(DateTime.SpecifyKind(renewed.NotAfter, DateTimeKind.Utc)));

        var now = clock.GetUtcNow();
        await uow.CaRequests.EnqueueIssueAsync(id, application.ServiceType == "RENEW" ? "RENEW" : "ISSUE",
            application.CertificateSerialHex, csrDer, decision, now, ct);
        await MoveOrThrowAsync(uow, id, [ApplicationStatus.AwaitingKey], ApplicationStatus.Forwarded, "key submitted; certificate request forwarded to the CA", now, ct);
        return await uow.Applications.GetAsync(id, ct);
    }

    /// <summary>Rejects the application from one of the given states, voids its slip and e-mails the reasons.</summary>
    public async Task RejectAsync(
        UnitOfWork uow, Guid id, ApplicationStatus[] from, IReadOnlyList<Rejection> reasons,
        string detail, string noticeEmail, DateTimeOffset now, CancellationToken ct)
    {
        await uow.PaymentSlips.VoidAsync(id, now, ct);
        await MoveOrThrowAsync(uow, id, from, ApplicationStatus.Rejected, detail, now, ct, reasons);
        await uow.Mail.EnqueueAsync(MailNotice.Create(noticeEmail,
            new ApplicationRejectedNotice(id.ToString("D"), reasons.Select(r => $"{r.Code}: {r.Text}").ToList())), ct);
    }

    /// <summary>
    /// Records a payment from the fee system. Idempotent by receipt reference; refuses an unknown slip, a void
    /// one, a payment after the due time and a wrong amount, each with its own reason. The slip row is locked,
    /// so a confirmation racing the sweeper, or a second confirmation, ends in exactly one outcome.
    /// </summary>
    public async Task<(PaymentSlipRow Slip, ApplicationRow Application)> ConfirmPaymentAsync(
        UnitOfWork uow, string slipNumber, long amountNtd, DateTimeOffset paidAt,
        string receiptReference, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await uow.PaymentSlips.ByReceiptAsync(receiptReference, ct) is { } earlier)
        {
            // A replay is the same confirmation; the same receipt with another slip or amount is a different payment.
            if (earlier.SlipNumber != slipNumber || earlier.AmountNtd != amountNtd)
                throw RaException.InvalidField("RECEIPT_REFERENCE_REUSED", "receipt_reference", "this receipt already paid another slip or amount");
            return (earlier, await uow.Applications.GetAsync(earlier.ApplicationId, ct));
        }

        var slip = await uow.PaymentSlips.LockAsync(slipNumber, ct)
            ?? throw new RaException(RaErrorKind.NotFound, "SLIP_UNKNOWN", "no payment slip has this number",
                [new FieldProblem("slip_number", "unknown slip number")]);
        if (slip.Status == "VOID")
            throw new RaException(RaErrorKind.FailedPrecondition, "SLIP_VOID", "the slip is void: it was not paid in time or the application was rejected");
        if (slip.Status == "PAID")
            throw new RaException(RaErrorKind.FailedPrecondition, "SLIP_ALREADY_PAID", "the slip was already paid with another receipt");
        if (paidAt > new DateTimeOffset(DateTime.SpecifyKind(slip.DueAt, DateTimeKind.Utc)))
            throw new RaException(RaErrorKind.FailedPrecondition, "PAYMENT_LATE", "the payment was made after the slip's due time",
                [new FieldProblem("paid_at", "after the due time")]);
        if (amountNtd != slip.AmountNtd)
            throw new RaException(RaErrorKind.FailedPrecondition, "AMOUNT_MISMATCH", $"the slip is for NT${slip.AmountNtd}, not NT${amountNtd}",
                [new FieldProblem("amount_ntd", $"must be {slip.AmountNtd}")]);

        await uow.PaymentSlips.MarkPaidAsync(slipNumber, paidAt, amountNtd, receiptReference, ct);
        await MoveOrThrowAsync(uow, slip.ApplicationId, [ApplicationStatus.AwaitingPayment], ApplicationStatus.AwaitingKey, $"paid, receipt {receiptReference}", now, ct);
        var application = await uow.Applications.GetAsync(slip.ApplicationId, ct);
        await uow.Mail.EnqueueAsync(MailNotice.Create(application.NoticeEmail,
            new PaymentReceivedNotice(application.Id.ToString("D"), slipNumber)), ct);
        return ((await uow.PaymentSlips.ByReceiptAsync(receiptReference, ct))!, application);
    }

    /// <summary>
    /// Voids up to <paramref name="batchSize"/> overdue slips, cancels their applications and e-mails the
    /// applicants. Slips being confirmed right now are locked and skipped; the next run sees their outcome.
    /// </summary>
    public async Task<int> CancelOverdueAsync(UnitOfWork uow, int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var overdue = await uow.PaymentSlips.ClaimOverdueAsync(now, batchSize, ct);
        foreach (var slip in overdue)
        {
            await uow.PaymentSlips.VoidAsync(slip.ApplicationId, now, ct);
            await MoveOrThrowAsync(uow, slip.ApplicationId, [ApplicationStatus.AwaitingPayment], ApplicationStatus.Cancelled,
                $"slip {slip.SlipNumber} not paid by its due time; void", now, ct);
            var application = await uow.Applications.GetAsync(slip.ApplicationId, ct);
            await uow.Mail.EnqueueAsync(MailNotice.Create(application.NoticeEmail,
                new CancelledForNonPaymentNotice(application.Id.ToString("D"), slip.SlipNumber, slip.DueDate)), ct);
        }
        return overdue.Count;
    }

    private static async Task MoveOrThrowAsync(
        UnitOfWork uow, Guid id, ApplicationStatus[] from, ApplicationStatus to, string detail, DateTimeOffset now,
        CancellationToken ct, IReadOnlyList<Rejection>? rejections = null)
    {
        if (!await uow.Applications.MoveAsync(id, from, to, detail, now, ct, rejections))
            throw new RaException(RaErrorKind.FailedPrecondition, "APPLICATION_STATE_CHANGED",
                $"the application is no longer {string.Join(" or ", from.Select(ApplicationStateMachine.Code))}");
    }
}
