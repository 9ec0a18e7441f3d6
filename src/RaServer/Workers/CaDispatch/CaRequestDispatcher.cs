using System.Security.Cryptography.X509Certificates;
using CaConnector;
using Microsoft.Extensions.Options;
using RaServer.Policy;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Trust;

namespace RaServer.Workers;

/// <summary>
/// Delivers the ca_requests outbox to the CA, on every replica. Each worker leases a batch of due rows in one short
/// statement (FOR UPDATE SKIP LOCKED, then a token and a lease end stamped on them), asks the CA for each with no
/// transaction open, and records the outcomes of the rows it still holds in one commit. If the process dies before
/// that commit, the lease lapses and another worker repeats the CA calls, which is safe: issue is deduplicated by
/// the request key (the application id) and a status change already in force counts as done. So a certificate is
/// issued at most once per application, and the application ends FAILED only when the CA refuses for good.
/// </summary>
public sealed partial class CaRequestDispatcher(
    UnitOfWorkFactory units,
    ICaConnector ca,
    CustomsCaCrlSource customsCa,
    CaCompletion completion,
    CaStatusReconciler reconciler,
    CustomsCaCrlKeeper crlKeeper,
    CaOutboxSignal queued,
    IOptions<CaDispatchOptions> options,
    TimeProvider clock,
    ILogger<CaRequestDispatcher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) > 0) { }
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e))
            {
                // PostgreSQL is away: nothing was half-written (the outcomes commit together); the lease lapses and
                // the batch is tried again.
                LogDatabaseUnavailable(logger, e);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.PollInterval, clock, wait.Token);
            await Task.WhenAny(delay, queued.WaitAsync(wait.Token));
            await wait.CancelAsync();
        }
    }

    /// <summary>Delivers every due request now; returns how many were handled (tests and benchmarks call this).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var handled = 0;
        int batch;
        while ((batch = await DispatchBatchAsync(ct)) > 0)
            handled += batch;
        return handled;
    }

    /// <summary>
    /// Leases up to CaDispatch:BatchSize due requests, asks the CA for each in lease order, then records the outcomes
    /// of those still leased to this worker and commits them together. Returns how many were leased; 0 when none was
    /// due. One CA call at a time per worker keeps the circuit breaker's meaning (its half-open trial is one call; the
    /// other workers are the concurrency).
    /// </summary>
    private async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        if (await CaRequestLease.TakeAsync(units, options.Value, clock, logger, ct)
            is not var (lease, batch))
            return 0;

        var outcomes = new List<(CaRequestRow Request, CaOutcome Outcome)>(batch.Count);
        await using (lease)
        {
            foreach (var request in batch)
                outcomes.Add((request, await AskAsync(request, ct)));
        }

        try
        {
            await using var uow = await units.BeginAsync(ct);
            var held = await uow.CaRequests.HoldLeasedAsync(batch.Select(r => r.Id).ToList(), lease.Token, ct);
            foreach (var (request, outcome) in outcomes)
            {
                if (held.Contains(request.Id))
                    await RecordAsync(uow, request, outcome, ct);
                else
                    LogLeaseLost(logger, request.Id, request.Operation);
            }
            await uow.CommitAsync(ct);
        }
        finally
        {
            foreach (var (_, outcome) in outcomes)
                (outcome as CaOutcome.Issued)?.Certificate.Dispose();
        }
        // Whatever the CA answered to a hold, release or revocation, its CRL may have changed: take it now. Verdicts
        // do not wait for this (the RA's record, just committed, is newer than the CRL held); the CRL saved for
        // the next replica to start, and the evidence's CRL number, do.
        if (batch.Any(r => r.Operation is "SUSPEND" or "UNSUSPEND" or "REVOKE"))
            crlKeeper.RefreshSoon();
        return batch.Count;
    }

    /// <summary>Asks the CA for one request, with no transaction open: done, refused for good, or to be retried.</summary>
    private async Task<CaOutcome> AskAsync(CaRequestRow request, CancellationToken ct)
    {
        try
        {
            switch (request.Operation)
            {
                case "ISSUE" or "RENEW" when request.Decision is { } decision:
                    return await IssueAsync(request, decision, ct);
                case "ISSUE" or "RENEW":
                    LogUndecided(logger, request.Id, request.Operation);
                    return new CaOutcome.Undecided();
                // Done and AlreadyInRequestedState alike mean the CA now has the state asked for.
                case "SUSPEND":
                    await ca.SuspendAsync(await CertificateIdAsync(request, ct), ct);
                    return new CaOutcome.StatusChanged();
                case "UNSUSPEND":
                    await ca.UnsuspendAsync(await CertificateIdAsync(request, ct), ct);
                    return new CaOutcome.StatusChanged();
                case "REVOKE":
                    await ca.RevokeAsync(await CertificateIdAsync(request, ct), (RevocationReason)(request.RevocationReason ?? 0), ct);
                    return new CaOutcome.StatusChanged();
                default:
                    throw new InvalidOperationException($"CA request {request.Id} has unknown operation {request.Operation}");
            }
        }
        catch (CaRefusedException refusal)
        {
            // A hold or release repeated after a lost commit: the CA refuses the repeat, but its CRL shows the change
            // was made, so the application is done, not failed.
            if (await reconciler.AlreadyInForceAsync(request, refusal, ct))
            {
                LogReconciled(logger, request.Id, request.Operation, refusal.Message);
                return new CaOutcome.StatusChanged();
            }
            LogRefused(logger, request.Id, request.Operation, refusal.Message);
            return new CaOutcome.Refused(refusal);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Transient (CA unreachable, slow, 5xx, outcome unknown, its store away, ours away): retry later.
            LogRetry(logger, e, request.Id, request.Operation, request.Attempts + 1);
            return new CaOutcome.Retry(e);
        }
    }

    /// <summary>One request's outcome, recorded in the batch's unit of work.</summary>
    private Task RecordAsync(UnitOfWork uow, CaRequestRow request, CaOutcome outcome, CancellationToken ct) => outcome switch
    {
        CaOutcome.Issued issued => completion.IssuedAsync(uow, request, issued.Answer, issued.Certificate, ct),
        CaOutcome.StatusChanged => completion.StatusChangedAsync(uow, request, ct),
        CaOutcome.Refused refused => completion.RefusedAsync(uow, request, refused.Refusal, ct),
        CaOutcome.Undecided => completion.UndecidedAsync(uow, request, ct),
        CaOutcome.Retry retry => ScheduleRetryAsync(uow, request, retry.Failure, ct),
        _ => throw new InvalidOperationException($"unknown CA outcome {outcome}"),
    };

    private Task ScheduleRetryAsync(UnitOfWork uow, CaRequestRow request, Exception e, CancellationToken ct)
    {
        var wait = Backoff.Jittered(request.Attempts + 1, options.Value.FirstRetryDelay, options.Value.MaxBackoff);
        return uow.CaRequests.ScheduleRetryAsync(request.Id, clock.GetUtcNow() + wait, $"{e.GetType().Name}: {e.Message}", ct);
    }

    /// <summary>
    /// Sends the decision the RA stored when it forwarded the application, whatever the configuration says now, with
    /// the CSR's key (the RA verified the CSR at submission). The certificate is parsed here once, to check that it
    /// certifies that key, and recorded from this parse.
    /// </summary>
    private async Task<CaOutcome.Issued> IssueAsync(CaRequestRow request, CertificateDecision decision, CancellationToken ct)
    {
        var csrKey = CaIssueRequests.KeyOfVerifiedCsr(request.CsrDer!);
        var issue = CaIssueRequests.For(request.ApplicationId, request.CsrDer!, decision.Profile(), decision.ValidityYears, decision.TermFrom, csrKey);
        var issued = request.Operation == "RENEW" ? await ca.RenewAsync(issue, ct) : await ca.IssueAsync(issue, ct);
        var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        if (CaIssueRequests.Certifies(certificate, csrKey))
            return new CaOutcome.Issued(issued, certificate);
        using (certificate)
        {
            LogForeignKey(logger, issue.RequestKey, certificate.SerialNumber);
            throw new CaRefusedException(CmpFailureInfo.BadMessageCheck,
                $"the CA returned certificate {certificate.SerialNumber}, which does not certify the key of the submitted CSR");
        }
    }

    /// <summary>
    /// A revocation names the certificate by issuer and serial. The RA's stored copy gives the exact issuer (it
    /// survives a change of issuing CA); without one, the customs CA (Ca:IssuerCertificatePath, or the embedded CA's
    /// own) is the only issuer it can be.
    /// </summary>
    private async Task<CaCertificateId> CertificateIdAsync(CaRequestRow request, CancellationToken ct)
    {
        var serialHex = request.CertificateSerialHex!;
        await using var uow = await units.OpenForReadingAsync(ct);
        if ((await uow.Certificates.FindAsync(serialHex, ct))?.Der is { } der)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return CaCertificateId.Of(certificate);
        }
        return new CaCertificateId((await customsCa.IssuerAsync(ct)).SubjectName, serialHex);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "The CA refused request {RequestId} ({Operation}): {Reason}")]
    private static partial void LogRefused(ILogger logger, long requestId, string operation, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "CA request {RequestId} ({Operation}) was refused as a repeat ({Reason}); the CA's CRL shows it in force")]
    private static partial void LogReconciled(ILogger logger, long requestId, string operation, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "CA request {RequestId} ({Operation}) failed for now; attempt {Attempt} will be retried")]
    private static partial void LogRetry(ILogger logger, Exception e, long requestId, string operation, int attempt);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information,
        Message = "CA request {RequestId} ({Operation}) was leased again by another worker while the CA answered; that worker records it")]
    private static partial void LogLeaseLost(ILogger logger, long requestId, string operation);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "The CA dispatcher cannot reach PostgreSQL; retrying")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception e);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error,
        Message = "CA request {RequestId} ({Operation}) was written before the RA stored its certificate decision (migration 0013); failed")]
    private static partial void LogUndecided(ILogger logger, long requestId, string operation);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error,
        Message = "The CA answered issue request {RequestKey} with certificate {Serial}, which certifies a different key; refused")]
    private static partial void LogForeignKey(ILogger logger, string requestKey, string serial);
}
