using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Audit;

/// <summary>
/// Every change of an application leaves an audit row in the change's own transaction, naming who asked: the signer
/// of an online submission, the fee system for a payment, the system for the CA dispatcher's issuance.
/// </summary>
public sealed class ApplicationChangeAuditTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;

    public async Task InitializeAsync() => server = await RaServerHarness.StartAsync(postgres);

    public async Task DisposeAsync() => await server.DisposeAsync();

    private sealed record AuditRow(string Actor, string Rpc, string Detail);

    [Fact]
    public async Task A_journey_leaves_one_audit_row_per_change_naming_its_caller_and_the_state_reached()
    {
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        await scenario.IssueAsync(CertificateKind.Personal);

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        var rows = (await connection.QueryAsync<AuditRow>(
            "SELECT actor AS Actor, rpc AS Rpc, detail::text AS Detail FROM audit_log WHERE outcome = 'OK' AND detail::text LIKE '%applications%' ORDER BY id")).ToList();
        var states = await connection.QueryAsync<string>(
            "SELECT to_state FROM application_events ORDER BY sequence");

        Assert.Equal(states.Count(), rows.Sum(r => System.Text.RegularExpressions.Regex.Matches(r.Detail, "\"state\"").Count));
        Assert.Contains(rows, r => r.Rpc == "/customs.ra.v1.RegistrationAuthority/SubmitApplication" && r.Actor.StartsWith("signer:", StringComparison.Ordinal)
            && r.Detail.Contains("RECEIVED", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Rpc == "/customs.ra.v1.Payments/ConfirmPayment" && !r.Actor.Contains("signer:", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Rpc == "background" && r.Actor == "system" && r.Detail.Contains("COMPLETED", StringComparison.Ordinal));
    }
}
