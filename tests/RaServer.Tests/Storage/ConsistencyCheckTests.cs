using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Storage;

/// <summary>
/// `RaServer check` after a real issuance: clean, then each integrity count moved by a forged row of the kind an
/// incident would leave (a second certificate for one application; a CA certificate the RA never recorded).
/// </summary>
public sealed class ConsistencyCheckTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;

    public async Task InitializeAsync() => server = await RaServerHarness.StartAsync(postgres);

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<ConsistencyCounts> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        return await ConsistencyCheck.ReadAsync(connection, server.Clock.GetUtcNow(), CancellationToken.None);
    }

    private Task<int> CommandAsync() => CheckCommand.RunAsync([$"--Database:ConnectionString={server.ConnectionString}"]);

    [Fact]
    public async Task An_issued_certificate_reconciles_and_each_forged_row_is_counted()
    {
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        await scenario.IssueAsync(CertificateKind.Personal);

        var clean = await CountsAsync();
        Assert.Equal((0L, 0L, 0L), (clean.ApplicationsIssuedTwice, clean.CaCertificatesUnknownToRa, clean.OpenCaRequests));
        Assert.True(clean.Intact);
        Assert.Equal(0, await CommandAsync());

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn, owner_national_id,
                not_before, not_after, issued_for_application, created_at, updated_at)
            SELECT 'ABCDEF0123', kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn, owner_national_id,
                not_before, not_after, issued_for_application, created_at, updated_at FROM certificates
            """);
        var twice = await CountsAsync();
        Assert.Equal((1L, 0L), (twice.ApplicationsIssuedTwice, twice.CaCertificatesUnknownToRa));
        Assert.Equal(1, await CommandAsync());

        await connection.ExecuteAsync(
            """
            INSERT INTO embedded_ca_certificates (serial, request_key, kind, subject, der, not_before, not_after, issued_at)
            SELECT '\x0f00112233'::bytea, 'forged', kind, subject, der, not_before, not_after, issued_at FROM embedded_ca_certificates
            """);
        var unknown = await CountsAsync();
        Assert.Equal((1L, 1L), (unknown.ApplicationsIssuedTwice, unknown.CaCertificatesUnknownToRa));
        Assert.False(unknown.Intact);
    }

    [Fact]
    public async Task A_queued_ca_request_is_counted_open_with_the_age_of_its_wait()
    {
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var serial = await scenario.SeedCertificateAsync(CertificateKind.Personal);
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Personal, serial));
        Assert.Equal(ApplicationState.Forwarded, application.State);
        server.Clock.Advance(TimeSpan.FromMinutes(3));

        var open = await CountsAsync();
        Assert.Equal(1, open.OpenCaRequests);
        Assert.InRange(open.OldestOpenCaRequestAge!.Value, TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(3) + TimeSpan.FromMilliseconds(1));
        Assert.True(open.Intact);
        Assert.False(open.Drained);
    }
}
