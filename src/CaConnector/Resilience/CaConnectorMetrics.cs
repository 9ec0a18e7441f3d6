using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace CaConnector.Resilience;

/// <summary>
/// What an operator pages on for the CA link (docs/ARCHITECTURE.md): call latency, failures by kind, retries, and the
/// circuit breaker's state. Exported by whoever listens to the meter (OpenTelemetry in the server).
/// </summary>
public sealed class CaConnectorMetrics : IDisposable
{
    public const string MeterName = "RaBackend.CaConnector";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _circuitTransitions;
    private CircuitBreakerStateProvider? _breaker;

    public CaConnectorMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _duration = Meter.CreateHistogram<double>("ra.ca.call.duration", "s", "CA calls from first attempt to final outcome, retries included.");
        _failures = Meter.CreateCounter<long>("ra.ca.call.failures", description: "CA calls that failed, by kind: refused, unavailable, outcome_unknown, circuit_open.");
        _retries = Meter.CreateCounter<long>("ra.ca.call.retries", description: "Attempts repeated after a transient failure.");
        _circuitTransitions = Meter.CreateCounter<long>("ra.ca.circuit.transitions", description: "Circuit breaker state changes, by the state entered.");
        Meter.CreateObservableGauge("ra.ca.circuit.state", () => (int)(_breaker?.CircuitState ?? CircuitState.Closed),
            description: "0 closed, 1 open, 2 half-open, 3 isolated.");
    }

    /// <summary>The meter itself, so tests can listen to this instance only.</summary>
    public Meter Meter { get; }

    internal void Observe(CircuitBreakerStateProvider breaker) => _breaker = breaker;

    internal void CallFinished(string operation, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "operation", operation }, { "outcome", outcome } };
        _duration.Record(elapsed.TotalSeconds, tags);
        if (outcome != Outcomes.Success)
            _failures.Add(1, new TagList { { "operation", operation }, { "kind", outcome } });
    }

    internal void Retried(string operation) => _retries.Add(1, new KeyValuePair<string, object?>("operation", operation));

    internal void CircuitEntered(CircuitState state) =>
        _circuitTransitions.Add(1, new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));

    public void Dispose() => Meter.Dispose();

    /// <summary>The outcome tag values.</summary>
    public static class Outcomes
    {
        public const string Success = "success";
        public const string Refused = "refused";
        public const string Unavailable = "unavailable";
        public const string OutcomeUnknown = "outcome_unknown";
        public const string CircuitOpen = "circuit_open";
        public const string Cancelled = "cancelled";
    }
}
