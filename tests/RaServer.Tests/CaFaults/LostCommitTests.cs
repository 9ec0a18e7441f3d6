using CaConnector;
using Customs.Ra.V1;
using CertificateKind = Customs.Ra.V1.CertificateKind;
using Microsoft.Extensions.DependencyInjection;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Workers;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// The process dies after the CA answered and before the dispatcher's commit: the CA has a certificate the RA never
/// recorded, and the outbox row is still pending. Simulated by asking the CA through the server's own connector with
/// the request the dispatcher sends, then running the dispatcher.
/// </summary>
public sealed class LostCommitTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
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

    [Fact]
    public async Task A_release_repeated_after_a_lost_commit_completes_because_the_cas_crl_shows_it_in_force()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var certificate = await scenario.IssueAsync(CertificateKind.Organization);
        await scenario.ChangeStatusAsync(ServiceType.Suspend, CertificateKind.Organization, certificate.SerialNumber);
        var release = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Unsuspend, CertificateKind.Organization, certificate.SerialNumber));

        // The CA released the hold, then the process died before the RA committed; the repeat is refused ("not on hold").
        await server.Services.GetRequiredService<ICaConnector>().UnsuspendAsync(CaCertificateId.Of(certificate), CancellationToken.None);
        await server.Services.GetRequiredService<CaRequestDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(release.ApplicationId)).State);
    }

    [Fact]
    public async Task A_hold_on_a_certificate_the_ca_revoked_for_good_still_fails()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var certificate = await scenario.IssueAsync(CertificateKind.Organization);
        var hold = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization, certificate.SerialNumber));

        // Revoked at the CA behind the RA's back: the hold is refused with certRevoked and the CRL says Revoked.
        await server.Services.GetRequiredService<ICaConnector>()
            .RevokeAsync(CaCertificateId.Of(certificate), CaConnector.RevocationReason.KeyCompromise, CancellationToken.None);
        await server.Services.GetRequiredService<CaRequestDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplicationState.Failed, (await scenario.GetAsync(hold.ApplicationId)).State);
    }

    [Fact]
    public async Task Over_cmp_a_hold_repeated_after_a_lost_commit_completes_because_the_cas_crl_shows_it_on_hold()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        var certificate = await scenario.IssueAsync(CertificateKind.Organization);
        var hold = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization, certificate.SerialNumber));

        // The CA put it on hold over CMP, then the RA died before its commit; the CA answers the repeat with certRevoked,
        // which over CMP could as well mean revoked for good.
        await bed.Ra.Services.GetRequiredService<ICaConnector>().SuspendAsync(CaCertificateId.Of(certificate), CancellationToken.None);
        await DeliverAsync(bed.Ra);

        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(hold.ApplicationId)).State);
    }

    [Fact]
    public async Task Over_cmp_a_hold_on_a_certificate_the_ca_revoked_for_good_still_fails()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        var certificate = await scenario.IssueAsync(CertificateKind.Organization);
        var hold = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization, certificate.SerialNumber));

        await bed.Ra.Services.GetRequiredService<ICaConnector>()
            .RevokeAsync(CaCertificateId.Of(certificate), CaConnector.RevocationReason.KeyCompromise, CancellationToken.None);
        await DeliverAsync(bed.Ra);

        var failed = await scenario.GetAsync(hold.ApplicationId);
        Assert.Equal(ApplicationState.Failed, failed.State);
        Assert.Contains("CertRevoked", failed.FailureDetail);
    }

    private static async Task AssertRetryStoresTheIssuedCertificateAsync(RaServerHarness server, Func<Task<long>> caCertificates)
    {
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var (applicationId, csr) = await ForwardNewCertificateAsync(server, scenario);
        var answeredBeforeTheCrash = await server.Services.GetRequiredService<ICaConnector>().IssueAsync(CaIssueRequests.For(
            Guid.Parse(applicationId), csr, CertificateProfile.Organization(WorkflowScenario.FirmName, WorkflowScenario.FirmUbn), 3),
            CancellationToken.None);

        Assert.Equal(1, await DeliverAsync(server));

        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(applicationId)).State);
        Assert.Equal(answeredBeforeTheCrash.CertificateDer, (await StoredCertificateAsync(server, applicationId)).Der);
        Assert.Equal(1, await caCertificates());
    }
}
