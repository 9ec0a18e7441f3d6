using CaConnector.EmbeddedCa;
using Customs.Ra.V1;
using Microsoft.Extensions.DependencyInjection;
using RaServer.CaDispatch;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// The process dies after the CA answered and before the dispatcher's commit: the CA has a certificate the RA never
/// recorded, and the outbox row is still pending. Simulated by asking the CA through the server's own gateway with
/// the dispatcher's request key, then running the dispatcher.
/// </summary>
[Collection("postgres")]
public sealed class LostCommitTests(PostgresFixture postgres)
{
    [Fact]
    public async Task With_the_embedded_ca_the_retry_stores_the_certificate_the_ca_already_issued()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        await AssertRetryStoresTheIssuedCertificateAsync(server, () => server.CountAsync("embedded_ca_certificates"));
    }

    [Fact]
    public async Task Over_cmp_the_retry_with_the_same_transaction_id_stores_the_certificate_the_ca_already_issued()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        await AssertRetryStoresTheIssuedCertificateAsync(bed.Ra, bed.CaCertificatesAsync);
    }

    private static async Task AssertRetryStoresTheIssuedCertificateAsync(RaServerHarness server, Func<Task<long>> caCertificates)
    {
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var (applicationId, csr) = await ForwardNewCertificateAsync(server, scenario);
        var gateway = server.Services.GetRequiredService<ICertificateAuthorityGateway>();
        var answeredBeforeTheCrash = await gateway.IssueAsync(applicationId, csr,
            CertificateProfile.Organization(WorkflowScenario.FirmName, WorkflowScenario.FirmUbn), 3, CancellationToken.None);

        Assert.Equal(1, await DeliverAsync(server));

        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(applicationId)).State);
        Assert.Equal(answeredBeforeTheCrash.CertificateDer, (await StoredCertificateAsync(server, applicationId)).Der);
        Assert.Equal(1, await caCertificates());
    }
}
