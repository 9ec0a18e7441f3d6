using Customs.Ra.V1;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// The CA is away, failing or slow: the request waits in the outbox, the application stays FORWARDED, and when the
/// CA answers again exactly one certificate exists for the application (docs/CMP.md "Retry rules").
/// </summary>
public sealed class CaOutageTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private CmpCaTestBed bed = null!;
    private WorkflowScenario scenario = null!;

    public async Task InitializeAsync()
    {
        bed = await CmpCaTestBed.StartAsync(postgres, caReachable: false);
        scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task While_the_ca_refuses_connections_the_request_waits_in_the_outbox_and_is_issued_once_when_the_ca_returns()
    {
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario);

        Assert.Equal(1, await DeliverAsync(bed.Ra));
        var waiting = await CaRequestAsync(bed.Ra, applicationId);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("CaUnavailableException", waiting.LastError);
        Assert.Null(waiting.CompletedAt);
        Assert.Equal(ApplicationState.Forwarded, (await scenario.GetAsync(applicationId)).State);
        Assert.Equal(0, await DeliverAsync(bed.Ra)); // backing off: not due yet

        bed.Relay.Open();
        bed.Ra.Clock.Advance(CmpCaTestBed.PastBackoff);
        Assert.Equal(1, await DeliverAsync(bed.Ra));

        await AssertIssuedOnceAsync(applicationId, attempts: 2);
    }

    [Theory]
    [InlineData(RelayFault.ServiceUnavailable, "CaUnavailableException")]
    [InlineData(RelayFault.InternalServerError, "CaOutcomeUnknownException")]
    public async Task A_ca_answering_http_5xx_keeps_the_request_in_the_outbox_and_issues_once_when_it_recovers(RelayFault fault, string recordedError)
    {
        bed.Relay.Open();
        bed.Relay.Script(fault);
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario);

        Assert.Equal(1, await DeliverAsync(bed.Ra));
        var waiting = await CaRequestAsync(bed.Ra, applicationId);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains(recordedError, waiting.LastError);
        Assert.Contains("HTTP " + (fault == RelayFault.ServiceUnavailable ? "503" : "500"), waiting.LastError);
        Assert.Equal(ApplicationState.Forwarded, (await scenario.GetAsync(applicationId)).State);
        Assert.Equal(0, bed.Relay.Forwarded);

        bed.Ra.Clock.Advance(CmpCaTestBed.PastBackoff);
        Assert.Equal(1, await DeliverAsync(bed.Ra));

        await AssertIssuedOnceAsync(applicationId, attempts: 2);
    }

    [Fact]
    public async Task A_ca_that_issues_but_answers_after_the_attempt_timeout_gives_the_same_certificate_on_the_retry_and_no_second_one()
    {
        bed.Relay.Open();
        bed.Relay.Script(RelayFault.ForwardThenHang);
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario);

        var delivery = DeliverAsync(bed.Ra);
        await bed.Relay.WaitForwardedAsync(1); // the CA has issued; its answer is held back
        Assert.Equal(1, await bed.CaCertificatesAsync());
        bed.Ra.Clock.Advance(CmpCaTestBed.AttemptTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await delivery.WaitAsync(TimeSpan.FromSeconds(30)));

        var unknown = await CaRequestAsync(bed.Ra, applicationId);
        Assert.Contains("CaOutcomeUnknownException", unknown.LastError);
        Assert.Contains(applicationId.Replace("-", "", StringComparison.Ordinal), unknown.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ApplicationState.Forwarded, (await scenario.GetAsync(applicationId)).State);
        var issuedBeforeTheRetry = Assert.Single(await bed.CaSerialsAsync());

        bed.Ra.Clock.Advance(CmpCaTestBed.PastBackoff);
        Assert.Equal(1, await DeliverAsync(bed.Ra));

        await AssertIssuedOnceAsync(applicationId, attempts: 2);
        Assert.Equal(issuedBeforeTheRetry, (await StoredCertificateAsync(bed.Ra, applicationId)).Serial);
    }

    private async Task AssertIssuedOnceAsync(string applicationId, int attempts)
    {
        var completed = await scenario.GetAsync(applicationId);
        Assert.Equal(ApplicationState.Completed, completed.State);
        var done = await CaRequestAsync(bed.Ra, applicationId);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(attempts, done.Attempts);
        var caSerial = Assert.Single(await bed.CaSerialsAsync());
        Assert.Equal(caSerial.ToLowerInvariant(), completed.IssuedCertificateSerialHex);
        Assert.Equal(1, await bed.Ra.CountAsync("certificates"));
    }
}
