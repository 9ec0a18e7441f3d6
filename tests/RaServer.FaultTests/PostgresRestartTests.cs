using System.Diagnostics;
using RaServer.FaultTests.Fixtures;
using RaServer.FaultTests.Load;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.FaultTests;

/// <summary>
/// PostgreSQL restarted under load, behind two replicas: clients see only OK and UNAVAILABLE, every acknowledged
/// request is stored, nothing is issued twice, the queues drain, and every watcher sees each event once, in order.
/// </summary>
public sealed class PostgresRestartTests(FaultCluster postgres, SmtpServerFixture smtp, ITestOutputHelper output)
    : IClassFixture<FaultCluster>, IClassFixture<SmtpServerFixture>
{
    private const int Clients = 4;
    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadAfter = TimeSpan.FromSeconds(6);

    [Fact]
    public Task A_fast_restart_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable() =>
        RestartUnderLoadAsync(nameof(A_fast_restart_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable), "fast");

    [Fact]
    public Task An_immediate_restart_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable() =>
        RestartUnderLoadAsync(nameof(An_immediate_restart_under_load_loses_nothing_acknowledged_and_clients_see_only_unavailable), "immediate");

    private async Task RestartUnderLoadAsync(string test, string mode)
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var run = await FaultRun.StartAsync(database, database, smtp, output);
        run.StartLoad(Clients);
        await Task.Delay(LoadBefore);

        var fault = Stopwatch.StartNew();
        await postgres.Cluster.RestartAsync(mode);
        var faultDuration = fault.Elapsed;
        var over = Stopwatch.StartNew();
        await Task.Delay(LoadAfter);

        await run.FinishAsync(test, $"PostgreSQL restart -m {mode}", faultDuration, over);
    }
}
