using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Policy;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Hosting;

namespace RaServer.Workers;

/// <summary>
/// Delivers the ca_requests outbox to the CA, on every replica. One request at a time per worker: the row is
/// claimed with FOR UPDATE SKIP LOCKED and stays locked while the CA works, so no two workers send it; the CA's
/// answer and the application's completion commit together. If the process dies between the CA's answer and
/// the commit, the row is claimed again and the CA call repeated, which is safe: issue is deduplicated by the
/// request key (the application id) and a status change already in force counts as done. So a certificate is
/// issued at most once per application, and the application ends FAILED only when the CA refuses for good.
/// </summary>
public sealed partial class CaRequestDispatcher(
    UnitOfWorkFactory units,
    ICertificateAuthorityGateway ca,
    CaCompletion completion,
    CaStatusReconciler reconciler,
    IOptions<CaDispatchOptions> options,
    IOptions<FeeOptions> fees,
    TimeProvider clock,
    ILogger<CaRequestDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim wakeUp = new(0);

    /// <summary>Asks this replica's workers to look now (after a request was written here).</summary>
    public void Kick()
    {
        if (wakeUp.CurrentCount < options.Value.Concurrency)
            wakeUp.Release();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchOneAsync(stoppingToken)) { }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // PostgreSQL is away: nothing was half-written (one transaction per request); try again later.
                LogDatabaseUnavailable(logger, e);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.PollInterval, clock, wait.Token);
            await Task.WhenAny(delay, wakeUp.WaitAsync(wait.Token));
            await wait.CancelAsync();
        }
    }

    /// <summary>Delivers every due request now; returns how many were handled (tests and benchmarks call this).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var handled = 0;
        while (await DispatchOneAsync(ct))
            handled++;
        return handled;
    }

    /// <summary>Claims one due request, asks the CA, records the outcome. False when none was due.</summary>
    private async Task<bool> DispatchOneAsync(CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(ct);
        var request = await uow.CaRequests.ClaimNextDueAsync(clock.GetUtcNow(), ct);
        if (request is null)
            return false;

        try
        {
            switch (request.Operation)
            {
                case "ISSUE" or "RENEW":
                    var issued = await ca.IssueAsync(request.ApplicationId.ToString("D"), request.CsrDer!, ProfileOf(request), ValidityYearsOf(request), ct);
                    await completion.IssuedAsync(uow, request, issued, ct);
                    break;
                case "SUSPEND":
                    await ca.HoldAsync(request.CertificateSerialHex!, ct);
                    await completion.StatusChangedAsync(uow, request, ct);
                    break;
                case "UNSUSPEND":
                    await ca.ReleaseHoldAsync(request.CertificateSerialHex!, ct);
                    await completion.StatusChangedAsync(uow, request, ct);
                    break;
                case "REVOKE":
                    await ca.RevokeAsync(request.CertificateSerialHex!, (RevocationReason)(request.RevocationReason ?? 0), ct);
                    await completion.StatusChangedAsync(uow, request, ct);
                    break;
            }
        }
        catch (CaRefusedException refusal)
        {
            // A hold or release repeated after a lost commit: the CA refuses the repeat, but its CRL shows the change
            // was made, so the application is done, not failed.
            if (await reconciler.AlreadyInForceAsync(request, refusal, ct))
            {
                LogReconciled(logger, request.Id, request.Operation, refusal.Message);
                await completion.StatusChangedAsync(uow, request, ct);
            }
            else
            {
                LogRefused(logger, request.Id, request.Operation, refusal.Message);
                await completion.RefusedAsync(uow, request, refusal, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Transient (CA unreachable, slow, 5xx, outcome unknown, its store away): keep the request, retry later.
            LogRetry(logger, e, request.Id, request.Operation, request.Attempts + 1);
            await ScheduleRetryAsync(uow, request, e, ct);
        }
        await uow.CommitAsync(ct);
        return true;
    }

    private Task ScheduleRetryAsync(UnitOfWork uow, CaRequestRow request, Exception e, CancellationToken ct)
    {
        var exponential = options.Value.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(request.Attempts, 20));
        var capped = Math.Min(exponential, options.Value.MaxBackoff.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2)); // spreads replicas' retries
        return uow.CaRequests.ScheduleRetryAsync(request.Id, clock.GetUtcNow() + jittered, $"{e.GetType().Name}: {e.Message}", ct);
    }

    /// <summary>Subject and identifiers come from the approved application, never from the CSR.</summary>
    private static CertificateProfile ProfileOf(CaRequestRow request) => request.Kind == "PERSONAL"
        ? CertificateProfile.Personal(request.FirmName ?? request.SubjectUbn, request.SubjectName, request.SubjectUbn, request.SubjectNationalId![^4..])
        : CertificateProfile.Organization(request.SubjectName, request.SubjectUbn);

    private int ValidityYearsOf(CaRequestRow request) =>
        FeeSchedule.For(fees.Value, request.Kind, request.Operation == "RENEW" ? "RENEW" : "NEW")?.ValidityYears
        ?? throw new InvalidOperationException($"Fees:Schedule has no validity for {request.Kind} {request.Operation}");

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "The CA refused request {RequestId} ({Operation}): {Reason}")]
    private static partial void LogRefused(ILogger logger, long requestId, string operation, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "CA request {RequestId} ({Operation}) was refused as a repeat ({Reason}); the CA's CRL shows it in force")]
    private static partial void LogReconciled(ILogger logger, long requestId, string operation, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "CA request {RequestId} ({Operation}) failed for now; attempt {Attempt} will be retried")]
    private static partial void LogRetry(ILogger logger, Exception e, long requestId, string operation, int attempt);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "The CA dispatcher cannot reach PostgreSQL; retrying")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception e);
}
