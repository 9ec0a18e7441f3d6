using System.Diagnostics.Metrics;
using CaConnector.Resilience;
using CaConnector.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace CaConnector.Tests;

/// <summary>The Polly pipeline around the real CMP client, against a CA endpoint the test breaks on purpose.</summary>
[Collection(CmpMockCollection.Name)]
public sealed class ResilienceTests(CmpMockNetwork network) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CaConnectorMetrics _metrics = new();

    // A freshly started mock can take over 300 ms for its first answer, so only the tests against a CA that never
    // answers use a short attempt timeout.
    private static CaResilienceOptions FastRetries => FastRetriesTimingOutAfter(TimeSpan.FromSeconds(5));

    private static CaResilienceOptions FastRetriesTimingOutAfter(TimeSpan attemptTimeout) => new()
    {
        AttemptTimeout = attemptTimeout,
        MaxRetryAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        BreakerMinimumThroughput = 100,
    };

    [Fact]
    public async Task An_issue_answered_with_HTTP_503_is_retried_with_backoff_until_the_attempts_run_out()
    {
        using var ca = new FaultyCaEndpoint(Fault.ServiceUnavailable);
        var connector = Resilient(ca, FastRetries);

        var failure = await Assert.ThrowsAsync<CaUnavailableException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        Assert.False(failure.RequestMayHaveReachedCa);
        Assert.Equal(4, ca.Connections);
    }

    [Fact]
    public async Task A_revocation_to_a_CA_that_never_answers_times_out_and_is_retried()
    {
        using var ca = new FaultyCaEndpoint(Fault.Hang);
        var connector = Resilient(ca, FastRetriesTimingOutAfter(TimeSpan.FromMilliseconds(200)));

        await Assert.ThrowsAsync<CaUnavailableException>(
            () => connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), RevocationReason.KeyCompromise, CancellationToken.None));

        Assert.Equal(4, ca.Connections);
    }

    [Fact]
    public async Task A_revocation_whose_connection_is_dropped_is_retried()
    {
        using var ca = new FaultyCaEndpoint(Fault.Close);
        var connector = Resilient(ca, FastRetries);

        await Assert.ThrowsAsync<CaUnavailableException>(
            () => connector.SuspendAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), CancellationToken.None));

        Assert.Equal(4, ca.Connections);
    }

    [Fact]
    public async Task An_issue_that_timed_out_is_not_resent_and_its_outcome_is_unknown()
    {
        using var ca = new FaultyCaEndpoint(Fault.Hang);
        var connector = Resilient(ca, FastRetriesTimingOutAfter(TimeSpan.FromMilliseconds(200)));

        var unknown = await Assert.ThrowsAsync<CaOutcomeUnknownException>(() => connector.IssueAsync(Request("app-7"), CancellationToken.None));

        Assert.Equal("app-7", unknown.RequestKey);
        Assert.Equal(1, ca.Connections);
    }

    [Fact]
    public async Task An_issue_whose_connection_dropped_after_sending_is_not_resent_and_its_outcome_is_unknown()
    {
        using var ca = new FaultyCaEndpoint(Fault.Close);
        var connector = Resilient(ca, FastRetries);

        await Assert.ThrowsAsync<CaOutcomeUnknownException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        Assert.Equal(1, ca.Connections);
    }

    [Fact]
    public async Task A_CMP_refusal_is_never_retried()
    {
        using var ca = new FaultyCaEndpoint(Fault.Relay, network.StartMock("srv", "-pkistatus", "2", "-failure", "23"));
        var connector = Resilient(ca, FastRetries);

        var refused = await Assert.ThrowsAsync<CaRefusedException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.NotAuthorized, refused.FailureInfo);
        Assert.Equal(1, ca.Connections);
    }

    [Fact]
    public async Task A_hold_retried_after_a_lost_answer_counts_certRevoked_as_done()
    {
        // The first attempt's answer is lost; the CA has meanwhile put the certificate on hold and now says so.
        using var ca = new FaultyCaEndpoint(Fault.Relay, network.StartMock("srv", "-pkistatus", "2", "-failure", "10"));
        ca.Script(Fault.Close);
        var connector = Resilient(ca, FastRetries);

        var result = await connector.SuspendAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), CancellationToken.None);

        Assert.Equal(CaRevocationResult.AlreadyInRequestedState, result);
        Assert.Equal(2, ca.Connections);
    }

    [Fact]
    public async Task The_breaker_opens_after_failures_fails_fast_and_closes_after_the_break_when_the_CA_answers_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var ca = new FaultyCaEndpoint(Fault.ServiceUnavailable, network.StartMock());
        var options = new CaResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(30),
            MaxRetryAttempts = 0,
            BreakerFailureRatio = 0.5,
            BreakerMinimumThroughput = 2,
            BreakerSamplingDuration = TimeSpan.FromSeconds(30),
            BreakerBreakDuration = TimeSpan.FromSeconds(5),
        };
        var transitions = ListenToCircuitTransitions();
        var connector = Resilient(ca, options, clock);
        var certificate = CaCertificateId.Of(network.Pki.IssuedLeaf);

        await Assert.ThrowsAsync<CaUnavailableException>(() => connector.SuspendAsync(certificate, CancellationToken.None));
        await Assert.ThrowsAsync<CaUnavailableException>(() => connector.SuspendAsync(certificate, CancellationToken.None));
        var fastFailure = await Assert.ThrowsAsync<CaUnavailableException>(() => connector.SuspendAsync(certificate, CancellationToken.None));
        Assert.IsType<BrokenCircuitException>(fastFailure.InnerException, exactMatch: false);
        Assert.Equal(2, ca.Connections);

        ca.Fault = Fault.Relay;
        await Assert.ThrowsAsync<CaUnavailableException>(() => connector.SuspendAsync(certificate, CancellationToken.None));
        Assert.Equal(2, ca.Connections);
        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(CaRevocationResult.Done, await connector.SuspendAsync(certificate, CancellationToken.None));
        Assert.Equal(CaRevocationResult.Done, await connector.UnsuspendAsync(certificate, CancellationToken.None));
        Assert.Equal(4, ca.Connections);
        Assert.Equal(["open", "halfopen", "closed"], transitions);
    }

    [Fact]
    public async Task Failures_are_counted_by_kind_on_the_connector_meter()
    {
        using var ca = new FaultyCaEndpoint(Fault.ServiceUnavailable);
        var failures = new List<string>();
        _listeners.Add(Listen("ra.ca.call.failures", (value, tags) => failures.Add((string)tags["kind"]!)));
        var connector = Resilient(ca, FastRetries);

        await Assert.ThrowsAsync<CaUnavailableException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        Assert.Equal([CaConnectorMetrics.Outcomes.Unavailable], failures);
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
            listener.Dispose();
        _http.Dispose();
        _metrics.Dispose();
    }

    private static CaIssueRequest Request(string key = "app-1") => MockPki.Request(key);

    private ResilientCaConnector Resilient(FaultyCaEndpoint ca, CaResilienceOptions options, TimeProvider? time = null)
    {
        var cmpOptions = MockOptions.For(network, ca.Address);
        var inner = new CmpCaConnector(_http, cmpOptions);
        return new ResilientCaConnector(inner, options, _metrics, time: time);
    }

    private List<string> ListenToCircuitTransitions()
    {
        var transitions = new List<string>();
        _listeners.Add(Listen("ra.ca.circuit.transitions", (_, tags) => { lock (transitions) transitions.Add((string)tags["state"]!); }));
        return transitions;
    }

    private readonly List<MeterListener> _listeners = [];

    // Listens to this test's meter instance only, so tests running in parallel do not see each other's numbers.
    private MeterListener Listen(string instrument, Action<long, Dictionary<string, object?>> onMeasurement)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (published, l) =>
            {
                if (ReferenceEquals(published.Meter, _metrics.Meter) && published.Name == instrument)
                    l.EnableMeasurementEvents(published);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            onMeasurement(value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        listener.Start();
        return listener;
    }
}
