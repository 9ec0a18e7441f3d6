using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.Integration;

/// <summary>
/// The RA decides the certificate's profile and validity when the key is submitted and stores them with the CA
/// request; the dispatcher sends that stored decision and reads nothing else to make it.
/// </summary>
public sealed class CertificateDecisionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private sealed record StoredDecision(string? Kind, string? Organization, string? CommonName, string? Ubn, string? IdLastFour, int? ValidityYears);

    [Fact]
    public async Task The_decision_is_stored_with_the_request_and_the_ca_signs_the_stored_one()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var (applicationId, _) = await ForwardNewCertificateAsync(server, scenario);

        Assert.Equal(new StoredDecision("ORGANIZATION", WorkflowScenario.FirmName, null, WorkflowScenario.FirmUbn, null, 3),
            await StoredDecisionAsync(server, applicationId));

        // Were the dispatcher to decide again (the fee schedule says 3 years, the registry the firm's name), this would not show.
        await ExecuteAsync(server, "UPDATE ca_requests SET validity_years = 5, profile_organization = 'Decided Earlier' WHERE application_id = @id",
            applicationId);
        Assert.Equal(1, await DeliverAsync(server));

        using var certificate = X509CertificateLoader.LoadCertificate((await StoredCertificateAsync(server, applicationId)).Der);
        Assert.Contains("O=Decided Earlier", certificate.Subject);
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 5 * 365, 5 * 366 + 1);
    }

    [Fact]
    public async Task An_issue_request_written_before_decisions_were_stored_fails_with_that_reason_and_nothing_is_signed()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var (applicationId, _) = await ForwardNewCertificateAsync(server, scenario);
        await ExecuteAsync(server, """
            UPDATE ca_requests SET profile_kind = NULL, profile_organization = NULL, profile_common_name = NULL, profile_ubn = NULL,
                profile_id_last_four = NULL, validity_years = NULL
            WHERE application_id = @id
            """, applicationId);

        Assert.Equal(1, await DeliverAsync(server));

        var failed = await scenario.GetAsync(applicationId);
        Assert.Equal(ApplicationState.Failed, failed.State);
        Assert.Contains("migration 0013", failed.FailureDetail);
        Assert.NotNull((await CaRequestAsync(server, applicationId)).CompletedAt);
        Assert.Equal(0, await server.CountAsync("embedded_ca_certificates"));
    }

    private static async Task<StoredDecision> StoredDecisionAsync(RaServerHarness server, string applicationId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return await connection.QuerySingleAsync<StoredDecision>(
            """
            SELECT profile_kind AS Kind, profile_organization AS Organization, profile_common_name AS CommonName,
                   profile_ubn AS Ubn, profile_id_last_four AS IdLastFour, validity_years AS ValidityYears
            FROM ca_requests WHERE application_id = @id
            """, new { id = Guid.Parse(applicationId) });
    }

    private static async Task ExecuteAsync(RaServerHarness server, string sql, string applicationId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.ExecuteAsync(sql, new { id = Guid.Parse(applicationId) });
    }
}
