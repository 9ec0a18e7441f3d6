using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CaConnector.Resilience;

/// <summary>
/// Builds the Polly pipeline around every CA call: retry (outermost) → circuit breaker → timeout per attempt.
/// The retry asks the call's context whether repeating it is safe, so one pipeline, and one breaker, serves both
/// idempotent revocations and issues that must not be resent after they may have reached the CA.
/// </summary>
public static class CaResiliencePipeline
{
    /// <summary>Context property: the operation name, for metrics and logs.</summary>
    public static readonly ResiliencePropertyKey<string> Operation = new("ra.ca.operation");

    /// <summary>Context property: true when a repeat cannot do harm (rr); false for p10cr.</summary>
    public static readonly ResiliencePropertyKey<bool> Idempotent = new("ra.ca.idempotent");

    public static ResiliencePipeline Build(CaResilienceOptions options, CaConnectorMetrics metrics, ILogger logger, TimeProvider? time = null)
    {
        options.Validate();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(IsWorthRetrying(args.Outcome.Exception, args.Context)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    var operation = args.Context.Properties.GetValue(Operation, "unknown");
                    metrics.Retried(operation);
                    CaConnectorLog.Retrying(logger, operation, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }
        var breakerState = new CircuitBreakerStateProvider();
        metrics.Observe(breakerState);
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(IsTransportFailure(args.Outcome.Exception)),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            StateProvider = breakerState,
            OnOpened = args =>
            {
                metrics.CircuitEntered(CircuitState.Open);
                CaConnectorLog.CircuitOpened(logger, args.BreakDuration, args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                metrics.CircuitEntered(CircuitState.HalfOpen);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                metrics.CircuitEntered(CircuitState.Closed);
                CaConnectorLog.CircuitClosed(logger);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    // A refusal is final and an unknown outcome needs reconciling: neither is retried. A timeout or broken line is
    // retried only when the call is idempotent or the request certainly never reached the CA.
    private static bool IsWorthRetrying(Exception? exception, ResilienceContext context)
    {
        var idempotent = context.Properties.GetValue(Idempotent, false);
        return exception switch
        {
            CaUnavailableException unavailable => idempotent || !unavailable.RequestMayHaveReachedCa,
            TimeoutRejectedException => idempotent,
            _ => false,
        };
    }

    // The breaker counts a CA that does not answer, never one that answers "no".
    private static bool IsTransportFailure(Exception? exception) =>
        exception is CaUnavailableException or CaOutcomeUnknownException or TimeoutRejectedException;
}
