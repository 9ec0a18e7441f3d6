using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.Storage;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// The dispatcher leases its CA requests instead of holding their row locks in an open transaction while the CA
/// works: nothing waits idle in a transaction during a slow CA call, no other replica sends a leased request, and a
/// request leased by a worker that died comes due again when its lease ends.
/// </summary>
public sealed class CaRequestLeaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task While_the_ca_is_slow_no_ra_session_is_in_a_transaction_and_another_replica_does_not_send_the_leased_request()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        var other = await bed.StartReplicaAsync(postgres);
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario);

        bed.Relay.Script(RelayFault.ForwardThenHang);
        var delivery = DeliverAsync(bed.Ra);
        await bed.Relay.WaitForwardedAsync(1); // the CA has issued; its answer is held back

        Assert.Equal(0, await SessionsInTransactionAsync(bed.Ra));
        Assert.Equal(0, await DeliverAsync(other)); // leased, so not due for the other replica
        Assert.Equal(1, bed.Relay.Forwarded);

        // The attempt times out (outcome unknown) and is kept for a retry, which the other replica may then send.
        var pastTheRetry = CmpCaTestBed.AttemptTimeout + TimeSpan.FromSeconds(1) + CmpCaTestBed.PastBackoff;
        bed.Ra.Clock.Advance(CmpCaTestBed.AttemptTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await delivery.WaitAsync(TimeSpan.FromSeconds(30)));
        other.Clock.Advance(pastTheRetry);
        Assert.Equal(1, await DeliverAsync(other));
        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(applicationId)).State);
        Assert.Single(await bed.CaSerialsAsync());
    }

    [Fact]
    public async Task A_request_leased_by_a_worker_that_died_is_sent_when_the_lease_ends_and_the_dead_lease_records_nothing()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var (applicationId, _) = await ForwardNewCertificateAsync(server, scenario);

        // A worker leases the request and dies before its CA call: no renewal, no outcome.
        var dead = Guid.NewGuid();
        var lease = TimeSpan.FromSeconds(30); // CaDispatch:LeaseDuration's default
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
            Assert.Single(await new CaRequestStore(connection, null)
                .LeaseDueAsync(server.Clock.GetUtcNow(), 16, dead, server.Clock.GetUtcNow() + lease,
                    TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(0, await DeliverAsync(server));
        Assert.Equal(ApplicationState.Forwarded, (await scenario.GetAsync(applicationId)).State);

        server.Clock.Advance(lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DeliverAsync(server));
        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(applicationId)).State);

        await using var check = new NpgsqlConnection(server.ConnectionString);
        await check.OpenAsync();
        await using var tx = await check.BeginTransactionAsync();
        var store = new CaRequestStore(check, tx);
        var id = await check.QuerySingleAsync<long>("SELECT id FROM ca_requests WHERE application_id = @id", new { id = Guid.Parse(applicationId) }, tx);
        Assert.Empty(await store.HoldLeasedAsync([id], dead, CancellationToken.None));
        Assert.Equal(0, await store.RenewLeaseAsync(dead, server.Clock.GetUtcNow() + lease, CancellationToken.None));
        Assert.Equal(1, (await CaRequestAsync(server, applicationId)).Attempts);
    }

    private static async Task<long> SessionsInTransactionAsync(RaServerHarness server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return await connection.QuerySingleAsync<long>(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'
            """);
    }
}
