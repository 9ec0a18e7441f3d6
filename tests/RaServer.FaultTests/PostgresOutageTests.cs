using System.Diagnostics;
using Npgsql;
using RaServer.FaultTests.Fixtures;
using RaServer.FaultTests.Load;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.FaultTests;

/// <summary>
/// PostgreSQL unreachable for 30 s under load (a relay between the replicas and PostgreSQL resets every connection and
/// refuses new ones; PostgreSQL itself keeps running): clients see UNAVAILABLE for the whole outage and nothing else,
/// and once it is back everything acknowledged is there, the queues drain and the watchers missed nothing.
/// </summary>
public sealed class PostgresOutageTests(FaultCluster postgres, SmtpServerFixture smtp, ITestOutputHelper output)
    : IClassFixture<FaultCluster>, IClassFixture<SmtpServerFixture>
{
    private const int Clients = 4;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Thirty_seconds_without_postgresql_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var relay = new TcpRelay(postgres.Cluster.Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(database) { Port = relay.Port }.ConnectionString;
        await using var run = await FaultRun.StartAsync(throughRelay, database, smtp, output);
        run.StartLoad(Clients);
        await Task.Delay(TimeSpan.FromSeconds(4));

        var fault = Stopwatch.StartNew();
        relay.Cut();
        var unavailableBefore = run.Ledger.UnavailableAnswers;
        await Task.Delay(Outage);
        var unavailableDuring = run.Ledger.UnavailableAnswers - unavailableBefore;
        relay.Restore();
        var faultDuration = fault.Elapsed;
        var over = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(6));

        // The outage was felt: without this, a relay that failed to cut would pass the test.
        Assert.True(unavailableDuring > Clients, $"only {unavailableDuring} UNAVAILABLE answers during the outage");
        await run.FinishAsync(nameof(Thirty_seconds_without_postgresql_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable),
            "PostgreSQL unreachable 30 s", faultDuration, over, new() { ["UnavailableDuringOutage"] = unavailableDuring });
    }
}
