using System.Diagnostics;
using Npgsql;
using RaServer.FaultTests.Fixtures;
using RaServer.FaultTests.Load;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.FaultTests;

/// <summary>
/// A replica killed with SIGKILL (no shutdown hook runs) while it dispatches to the CA, while it streams events, and
/// while it imports the registry: the other replica finishes the work, clients fail over and see only UNAVAILABLE, and
/// watchers that were on the killed replica resume on the other one without missing or repeating an event.
/// </summary>
public sealed class ReplicaKillTests(FaultCluster postgres, SmtpServerFixture smtp, ITestOutputHelper output)
    : IClassFixture<FaultCluster>, IClassFixture<SmtpServerFixture>
{
    private const int Clients = 4;
    private const int CsrBurst = 40;

    [Fact]
    public async Task A_replica_killed_mid_dispatch_leaves_its_leased_ca_requests_to_the_other_which_issues_each_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var run = await FaultRun.StartAsync(database, database, smtp, output);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        // Applications waiting for a key, whose CSRs then reach replica A at once: its own workers lease them first.
        var waiting = await Task.WhenAll(Enumerable.Range(0, CsrBurst).Select(i => run.Journeys.SubmitAndPayAsync(i % 2)));
        run.StartLoad(Clients / 2);

        var burst = Task.WhenAll(waiting.OfType<string>().Select(id => run.Journeys.SubmitCsrAsync(0, id)));
        Assert.True(await CaRequestProbe.WaitUntilLeasedAsync(connection, TimeSpan.FromSeconds(20)), "no CA request was ever leased");
        var fault = Stopwatch.StartNew();
        run.Pair.A.Kill();
        var faultDuration = fault.Elapsed;
        var over = Stopwatch.StartNew();
        var leasedAtKill = await CaRequestProbe.LeasedAsync(connection);
        // B finishes its own leases in milliseconds; what is still leased half a second on is the dead replica's.
        await Task.Delay(500);
        var stranded = await CaRequestProbe.LeasedAsync(connection);
        await burst;
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.True(stranded > 0, $"the kill came after replica A had sent its leased CA requests ({leasedAtKill} leased at the kill)");
        await run.FinishAsync(nameof(A_replica_killed_mid_dispatch_leaves_its_leased_ca_requests_to_the_other_which_issues_each_once),
            "SIGKILL mid-dispatch", faultDuration, over,
            new() { ["CaRequestsLeasedRightAfterKill"] = leasedAtKill, ["CaRequestsStrandedByKill"] = stranded, ["LeaseSeconds"] = ReplicaPair.LeaseDuration.TotalSeconds });
    }

    [Fact]
    public async Task Watchers_on_a_replica_killed_mid_stream_resume_on_the_other_and_see_every_event_once_in_order()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var run = await FaultRun.StartAsync(database, database, smtp, output);
        run.StartLoad(Clients);
        await Task.Delay(TimeSpan.FromSeconds(4));

        var streamsOnA = run.Watchers.OpenOn[0];
        var reconnectsBefore = run.Watchers.Reconnects;
        var fault = Stopwatch.StartNew();
        run.Pair.A.Kill();
        await Task.Delay(TimeSpan.FromSeconds(3));
        // Back on the same port: its clients' channels reconnect to it by themselves.
        await run.Pair.A.StartAsync();
        var faultDuration = fault.Elapsed;
        var over = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.True(streamsOnA > 0, "no watcher was streaming from replica A when it was killed");
        Assert.True(run.Watchers.Reconnects > reconnectsBefore, "no stream broke when replica A was killed");
        await run.FinishAsync(nameof(Watchers_on_a_replica_killed_mid_stream_resume_on_the_other_and_see_every_event_once_in_order),
            "SIGKILL mid-stream (restarted after 3 s)", faultDuration, over,
            new() { ["PerApplicationStreamsOnKilledReplica"] = streamsOnA, ["ReconnectsAfterKill"] = run.Watchers.Reconnects - reconnectsBefore });
    }
}
