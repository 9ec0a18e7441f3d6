using Customs.Ra.V1;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>The circuit breaker stops the RA hammering a failing CA, and lets it through again after the break.</summary>
public sealed class CircuitBreakerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(1);

    private CmpCaTestBed bed = null!;
    private WorkflowScenario scenario = null!;

    public async Task InitializeAsync()
    {
        bed = await CmpCaTestBed.StartAsync(postgres, configure: settings =>
        {
            // Two failures in a row open it; the break runs on the RA's fake clock.
            settings["Ca:Resilience:BreakerMinimumThroughput"] = "2";
            settings["Ca:Resilience:BreakerFailureRatio"] = "1";
            settings["Ca:Resilience:BreakerBreakDuration"] = BreakDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        });
        scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task After_repeated_failures_calls_fail_fast_without_reaching_the_ca_until_the_break_is_over()
    {
        var applications = new List<string>();
        for (var i = 0; i < 3; i++)
            applications.Add((await ForwardNewCertificateAsync(bed.Ra, scenario)).ApplicationId);
        bed.Relay.Fault = RelayFault.ServiceUnavailable;

        // Two 503s open the circuit; the third request is not even sent.
        Assert.Equal(3, await DeliverAsync(bed.Ra));
        Assert.Equal(2, bed.Relay.Requests);
        var failedFast = (await Task.WhenAll(applications.Select(id => CaRequestAsync(bed.Ra, id))))
            .Count(r => r.LastError!.Contains("circuit is open", StringComparison.Ordinal));
        Assert.Equal(1, failedFast);

        // While the circuit is open every due request fails fast and the CA sees nothing.
        bed.Ra.Clock.Advance(CmpCaTestBed.PastBackoff);
        Assert.Equal(3, await DeliverAsync(bed.Ra));
        Assert.Equal(2, bed.Relay.Requests);
        foreach (var id in applications)
        {
            Assert.Contains("circuit is open", (await CaRequestAsync(bed.Ra, id)).LastError);
            Assert.Equal(ApplicationState.Forwarded, (await scenario.GetAsync(id)).State);
        }

        // The CA is healthy again and the break is over: the trial call succeeds, the circuit closes, all go through.
        bed.Relay.Fault = RelayFault.None;
        bed.Ra.Clock.Advance(BreakDuration);
        Assert.Equal(3, await DeliverAsync(bed.Ra));
        foreach (var id in applications)
            Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(id)).State);
        Assert.Equal(3, await bed.CaCertificatesAsync());
        Assert.Equal(2 + 3 * 2, bed.Relay.Requests); // p10cr and certConf per certificate
    }
}
