using Customs.Ra.V1;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Storage;

/// <summary>
/// GetApplication's hand-written row reader gives exactly what Dapper's mapping of the same columns gives: for a paid
/// application (a slip with its payment), for a paper intake (office, clerk, seals) and for one without a slip.
/// </summary>
public sealed class ApplicationRowReaderTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Every_column_reads_as_dapper_reads_it()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var paid = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(paid.PaymentSlip);
        var unpaid = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var paper = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));

        var queries = server.Services.GetRequiredService<ApplicationQueries>();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        var applicant = new ApplicantKey(WorkflowScenario.FirmUbn, null);
        foreach (var id in new[] { paid.ApplicationId, unpaid.ApplicationId, paper.ApplicationId }.Select(Guid.Parse))
        {
            var expected = (await connection.QueryAsync<ApplicationRow, PaymentSlipRow?, (ApplicationRow, PaymentSlipRow?)>(
                ApplicationQueries.GetWithSlipSql, (a, s) => (a, s), new { id, ubn = applicant.Ubn, nationalId = applicant.NationalId },
                splitOn: "SlipNumber")).Single();
            var actual = await queries.GetWithSlipAsync(id, applicant, CancellationToken.None);
            Assert.Equal(expected, actual!.Value);
        }
        Assert.Null(await queries.GetWithSlipAsync(Guid.Parse(paid.ApplicationId), new ApplicantKey("12345675", null), CancellationToken.None));
    }
}
