using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>Two RA replicas on one database share the outbox: each request goes to the CA once (docs/ARCHITECTURE.md §4).</summary>
public sealed class TwoReplicaDispatchTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const int Requests = 20;

    private CmpCaTestBed bed = null!;

    public async Task InitializeAsync() => bed = await CmpCaTestBed.StartAsync(postgres);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task Two_replicas_delivering_twenty_requests_at_once_complete_each_application_once_with_twenty_certificates()
    {
        var second = await bed.StartReplicaAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        for (var i = 0; i < Requests; i++)
            await ForwardNewCertificateAsync(bed.Ra, scenario);

        var handled = await Task.WhenAll(Task.Run(() => DeliverAsync(bed.Ra)), Task.Run(() => DeliverAsync(second)));

        Assert.Equal(Requests, handled.Sum());
        Assert.All(handled, h => Assert.True(h > 0, "both replicas should have delivered some requests"));
        await using var connection = new NpgsqlConnection(bed.Ra.ConnectionString);
        Assert.Equal(Requests, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM application_events WHERE to_state = 'COMPLETED'"));
        Assert.Equal(Requests, await connection.ExecuteScalarAsync<long>(
            "SELECT count(DISTINCT application_id) FROM application_events WHERE to_state = 'COMPLETED'"));
        Assert.Equal(Requests, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM ca_requests WHERE completed_at IS NOT NULL AND attempts = 1"));
        var stored = (await connection.QueryAsync<string>("SELECT issued_serial_hex FROM applications WHERE issued_serial_hex IS NOT NULL")).ToList();
        Assert.Equal(Requests, stored.Distinct().Count());
        Assert.Equal(stored.Order(), (await bed.CaSerialsAsync()).Order());
        Assert.Equal(Requests * 2, bed.Relay.Requests); // one p10cr and one certConf each, none repeated
    }
}
