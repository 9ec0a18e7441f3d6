using CaConnector.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CaConnector;

/// <summary>
/// Runs another <see cref="ICaConnector"/> (normally <see cref="CmpCaConnector"/>) through the resilience pipeline
/// and turns Polly's own exceptions into the connector's three failure kinds.
/// </summary>
public sealed class ResilientCaConnector : ICaConnector
{
    private readonly ICaConnector _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly CaConnectorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <param name="time">Drives backoff, timeouts and the breaker; tests pass a fake clock.</param>
    public ResilientCaConnector(ICaConnector inner, CaResilienceOptions options, CaConnectorMetrics metrics,
        ILogger<ResilientCaConnector>? logger = null, TimeProvider? time = null)
    {
        _inner = inner;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _pipeline = CaResiliencePipeline.Build(options, metrics, _logger, _time);
    }

    public Task<CaIssuedCertificate> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
        RunAsync("issue", request.RequestKey, idempotent: false, (_, ct) => _inner.IssueAsync(request, ct), cancellationToken,
            TransactionIdHexOf(request));

    public Task<CaIssuedCertificate> RenewAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
        RunAsync("renew", request.RequestKey, idempotent: false, (_, ct) => _inner.RenewAsync(request, ct), cancellationToken,
            TransactionIdHexOf(request));

    public Task<CaRevocationResult> RevokeAsync(CaCertificateId certificate, RevocationReason reason, CancellationToken cancellationToken) =>
        RunAsync("revoke", certificate.SerialNumberHex, idempotent: true, (_, ct) => _inner.RevokeAsync(certificate, reason, ct), cancellationToken);

    public Task<CaRevocationResult> SuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        RunAsync("suspend", certificate.SerialNumberHex, idempotent: true, async (attempt, ct) =>
        {
            try
            {
                return await _inner.SuspendAsync(certificate, ct);
            }
            // docs/CMP.md: certRevoked answering a retry of the same hold means our earlier attempt landed.
            catch (CaRefusedException e) when (attempt > 0 && e.FailureInfo.HasFlag(CmpFailureInfo.CertRevoked))
            {
                return CaRevocationResult.AlreadyInRequestedState;
            }
        }, cancellationToken);

    public Task<CaRevocationResult> UnsuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        RunAsync("unsuspend", certificate.SerialNumberHex, idempotent: true, (_, ct) => _inner.UnsuspendAsync(certificate, ct), cancellationToken);

    // A caller-chosen transactionID is known even when a timeout cuts the attempt off, and is what the CA files it under.
    private static string? TransactionIdHexOf(CaIssueRequest request) =>
        request.TransactionId is { } id ? Convert.ToHexString(id) : null;

    private async Task<T> RunAsync<T>(string operation, string requestKey, bool idempotent,
        Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken, string? transactionIdHex = null)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CaResiliencePipeline.Operation, operation);
        context.Properties.Set(CaResiliencePipeline.Idempotent, idempotent);
        var started = _time.GetTimestamp();
        var attempt = 0;
        var outcome = CaConnectorMetrics.Outcomes.Success;
        try
        {
            return await _pipeline.ExecuteAsync(async ctx => await call(attempt++, ctx.CancellationToken), context);
        }
        catch (TimeoutRejectedException e) when (!idempotent)
        {
            outcome = CaConnectorMetrics.Outcomes.OutcomeUnknown;
            var unknown = new CaOutcomeUnknownException(requestKey, transactionIdHex, "the attempt timed out after the request was sent", e);
            CaConnectorLog.OutcomeUnknown(_logger, operation, requestKey, unknown);
            throw unknown;
        }
        catch (TimeoutRejectedException e)
        {
            outcome = CaConnectorMetrics.Outcomes.Unavailable;
            throw new CaUnavailableException($"CA {operation} timed out on every attempt", requestMayHaveReachedCa: true, e);
        }
        catch (BrokenCircuitException e)
        {
            outcome = CaConnectorMetrics.Outcomes.CircuitOpen;
            throw new CaUnavailableException($"CA circuit is open; {operation} not attempted", requestMayHaveReachedCa: false, e);
        }
        catch (CaOutcomeUnknownException e)
        {
            outcome = CaConnectorMetrics.Outcomes.OutcomeUnknown;
            CaConnectorLog.OutcomeUnknown(_logger, operation, requestKey, e);
            throw;
        }
        catch (CaRefusedException e)
        {
            outcome = CaConnectorMetrics.Outcomes.Refused;
            CaConnectorLog.Refused(_logger, operation, requestKey, e.FailureInfo, e.ReasonText);
            throw;
        }
        catch (CaUnavailableException)
        {
            outcome = CaConnectorMetrics.Outcomes.Unavailable;
            throw;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up; for an issue that leaves the outcome as unknown as a timeout does.
            outcome = CaConnectorMetrics.Outcomes.Cancelled;
            throw;
        }
        finally
        {
            _metrics.CallFinished(operation, outcome, _time.GetElapsedTime(started));
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
