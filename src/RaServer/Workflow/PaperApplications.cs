using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// A customs office's own paper applications: taking one in (the office checked the company seals), rejecting it
/// at the counter, and printing its payment slip. An office sees only the paper applications it took in; another
/// office's are NOT_FOUND, so their existence does not leak.
/// </summary>
public sealed class PaperApplications(UnitOfWorkFactory units, ApplicationWorkflow workflow, TimeProvider clock)
{
    /// <summary>
    /// Takes the application in, or returns the one already taken in under the same request id (a clerk's retry).
    /// Intakes of one request id are serialised, so a retry racing the first attempt sees its outcome.
    /// </summary>
    public async Task<(ApplicationRow Application, PaymentSlipRow? Slip)> IntakeAsync(
        ApplicationDraft draft, string requestId, PaperIntakeInfo intake, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(ct);
        await uow.LockAsync("intake:" + requestId, ct);
        ApplicationRow row;
        if (await uow.Applications.FindByRequestIdAsync(requestId, ct) is { } existing)
        {
            row = await uow.Applications.GetAsync(existing, ct);
            if (row.Channel != "PAPER" || row.ReceivingOfficeCode != intake.OfficeCode)
                throw new RaException(RaErrorKind.AlreadyExists, "REQUEST_ID_REUSED", "this request_id was already used for another application",
                    [new FieldProblem("request_id", "use a new request_id for a new application")]);
        }
        else
        {
            row = await workflow.SubmitAsync(uow, draft, requestId, intake, ct);
        }
        var slip = await uow.PaymentSlips.ForApplicationAsync(row.Id, ct);
        await uow.CommitAsync(ct);
        return (row, slip);
    }

    /// <summary>Rejects a paper application of this office that is not yet paid, with the clerk's reasons.</summary>
    public async Task<(ApplicationRow Application, PaymentSlipRow? Slip)> RejectAsync(
        Guid id, string office, string clerk, IReadOnlyList<Rejection> reasons, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(ct);
        var row = await uow.Applications.GetForUpdateAsync(id, ct);
        if (row is null || row.Channel != "PAPER" || row.ReceivingOfficeCode != office)
            throw new RaException(RaErrorKind.NotFound, "APPLICATION_NOT_FOUND", "no paper application of this office has this id");
        if (row.State is not (ApplicationStatus.Received or ApplicationStatus.AwaitingPayment))
            throw new RaException(RaErrorKind.FailedPrecondition, "APPLICATION_NOT_REJECTABLE",
                $"an application that is {ApplicationStateMachine.Code(row.State)} can no longer be rejected by the office");

        await workflow.RejectAsync(uow, id, [ApplicationStatus.Received, ApplicationStatus.AwaitingPayment], reasons,
            $"rejected by office {office} (clerk {clerk})", row.NoticeEmail, clock.GetUtcNow(), ct);
        var rejected = await uow.Applications.GetAsync(id, ct);
        var slip = await uow.PaymentSlips.ForApplicationAsync(id, ct);
        await uow.CommitAsync(ct);
        return (rejected, slip);
    }

    /// <summary>
    /// The slip of an application this office took in, with the application it pays for (a printed slip names the
    /// applicant and the service); null when it has none (or is not the office's).
    /// </summary>
    public async Task<(ApplicationRow Application, PaymentSlipRow Slip)?> SlipAsync(Guid id, string office, CancellationToken ct)
    {
        await using var uow = await units.OpenForReadingAsync(ct);
        var row = await uow.Applications.FindAsync(id, ct);
        if (row?.ReceivingOfficeCode != office)
            return null;
        return await uow.PaymentSlips.ForApplicationAsync(id, ct) is { } slip ? (row, slip) : null;
    }
}
