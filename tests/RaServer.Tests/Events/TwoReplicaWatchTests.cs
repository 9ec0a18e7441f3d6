using System.Diagnostics;
using Customs.Ra.V1;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using Xunit.Abstractions;
using static RaServer.Tests.Events.TestApplications;

namespace RaServer.Tests.Events;

/// <summary>Two replicas on one database behave as one (docs/ARCHITECTURE.md §4): events cross replicas through LISTEN/NOTIFY.</summary>
/// <remarks>Serial: it asserts that events cross within a second, which tests running beside it would distort.</remarks>
[Collection(Serial.Name)]
public sealed class TwoReplicaWatchTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness replicaA = null!;
    private RaServerHarness replicaB = null!;

    public async Task InitializeAsync()
    {
        replicaA = await RaServerHarness.StartAsync(postgres);
        replicaB = await RaServerHarness.StartAsync(postgres, connectionString: replicaA.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await replicaB.DisposeAsync();
        await replicaA.DisposeAsync();
    }

    [Fact]
    public async Task A_watcher_on_one_replica_sees_a_transition_committed_through_the_other_within_a_second()
    {
        // Each transition is committed through A's own unit of work, exactly as A's workflow commits it, so it is A
        // that tells the sequencer (wherever it leads) that events wait.
        var unitsA = replicaA.Services.GetRequiredService<UnitOfWorkFactory>();
        await using var connectionA = await OpenAsync(replicaA.ConnectionString);
        var id = await CreateAsync(connectionA);
        using var call = new WatchStreams(replicaB).Application(id);
        await WatchStreams.ReadAsync(call, 1);

        var latencies = new List<long>();
        foreach (var state in PathToCompleted)
        {
            var clock = Stopwatch.StartNew();
            await using (var uow = await unitsA.BeginAsync(CancellationToken.None))
            {
                var from = await uow.Applications.GetAsync(id, CancellationToken.None);
                Assert.True(await uow.Applications.MoveAsync(id, [from.State], ApplicationStateMachine.Parse(state), $"to {state}",
                    DateTimeOffset.UtcNow, CancellationToken.None));
                await uow.CommitAsync(CancellationToken.None);
            }
            var received = await WatchStreams.ReadAsync(call, 1, within: TimeSpan.FromSeconds(5));
            latencies.Add(clock.ElapsedMilliseconds);
            Assert.Equal(state, ProtoState(received[0].ToState));
        }
        output.WriteLine($"commit on A → event on a stream of B: {string.Join(", ", latencies)} ms");
        Assert.All(latencies, ms => Assert.True(ms < 1000, $"an event took {ms} ms to cross replicas"));
        await WatchStreams.AssertEndsAsync(call);
    }

    [Fact]
    public async Task A_partner_watching_all_its_applications_on_one_replica_sees_what_it_does_through_the_other()
    {
        var scenarioA = new WorkflowScenario(replicaA);
        await scenarioA.LoadRegistryAsync();
        using var call = new WatchStreams(replicaB).AllApplications();

        var clock = Stopwatch.StartNew();
        var application = await scenarioA.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var submitted = await WatchStreams.ReadAsync(call, 2, within: TimeSpan.FromSeconds(5));
        output.WriteLine($"SubmitApplication on A → both events on B: {clock.ElapsedMilliseconds} ms");
        Assert.Equal([ApplicationState.Received, ApplicationState.AwaitingPayment], submitted.Select(e => e.ToState));
        Assert.All(submitted, e => Assert.Equal(application.ApplicationId, e.ApplicationId));

        clock.Restart();
        await scenarioA.PayAsync(application.PaymentSlip);
        var paid = await WatchStreams.ReadAsync(call, 1, within: TimeSpan.FromSeconds(5));
        Assert.True(clock.ElapsedMilliseconds < 1000, $"the payment's event took {clock.ElapsedMilliseconds} ms to cross replicas");
        Assert.Equal(ApplicationState.AwaitingKey, paid.Single().ToState);
        Assert.True(paid.Single().Sequence > submitted[^1].Sequence);
    }

    [Fact]
    public async Task Exactly_one_replica_holds_the_sequencer_lock_while_the_other_waits_for_it()
    {
        await using var connection = await OpenAsync(replicaA.ConnectionString);
        var key = RaServer.Workers.EventSequencer.LeaderLockKey;
        // The standby may still be on its way into pg_advisory_lock just after start.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        (long Granted, long Waiting) locks;
        do
        {
            locks = await connection.QuerySingleAsync<(long, long)>(
                """
                SELECT count(*) FILTER (WHERE granted), count(*) FILTER (WHERE NOT granted)
                FROM pg_locks WHERE locktype = 'advisory' AND classid = @high AND objid = @low
                """,
                new { high = key >> 32, low = key & 0xFFFFFFFF });
        } while (locks != (1, 1) && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal((1L, 1L), locks);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private static string ProtoState(ApplicationState state) =>
        state.ToString() switch
        {
            "AwaitingPayment" => "AWAITING_PAYMENT",
            "AwaitingKey" => "AWAITING_KEY",
            var other => other.ToUpperInvariant(),
        };
}
