using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using static RaServer.Tests.CaFaults.CaFaultSteps;

namespace RaServer.Tests.CaFaults;

/// <summary>A CA that says no over CMP ends the application FAILED with the CA's own reason, and is never asked again.</summary>
public sealed class CaRefusalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private CmpCaTestBed bed = null!;
    private WorkflowScenario scenario = null!;

    public async Task InitializeAsync()
    {
        bed = await CmpCaTestBed.StartAsync(postgres);
        scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task A_csr_the_ca_refuses_ends_the_application_failed_with_the_cas_reason_and_is_never_retried()
    {
        // The RA takes the subject from the application and accepts a CSR without one; this CA's profile needs one.
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario, csrSubject: "");

        Assert.Equal(1, await DeliverAsync(bed.Ra));

        var failed = await scenario.GetAsync(applicationId);
        Assert.Equal(ApplicationState.Failed, failed.State);
        Assert.Contains("BadCertTemplate", failed.FailureDetail);
        Assert.Contains("non-empty subject", failed.FailureDetail);
        await AssertNeverRetriedAsync(applicationId);
        Assert.Equal(0, await bed.CaCertificatesAsync());
    }

    [Fact]
    public async Task The_applicant_of_a_refused_application_is_mailed_one_failed_notice_with_a_stable_reason_and_none_of_the_cas_words()
    {
        var (applicationId, _) = await ForwardNewCertificateAsync(bed.Ra, scenario, csrSubject: "");

        Assert.Equal(1, await DeliverAsync(bed.Ra));
        bed.Ra.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await DeliverAsync(bed.Ra)); // a second pass must not notify again

        Assert.Equal(ApplicationState.Failed, (await scenario.GetAsync(applicationId)).State);
        await using var connection = new NpgsqlConnection(bed.Ra.ConnectionString);
        var bodies = (await connection.QueryAsync<string>(
            "SELECT subject || E'\\n' || body FROM mail_outbox WHERE kind = 'APPLICATION_FAILED' AND dedup_key = @key",
            new { key = $"application-failed:{applicationId}" })).ToList();
        var notice = Assert.Single(bodies);
        Assert.Contains(applicationId, notice);
        Assert.Contains("CA_REFUSED:BadCertTemplate", notice);
        Assert.DoesNotContain("non-empty subject", notice, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("The CA refused", notice);
    }

    [Fact]
    public async Task A_revocation_of_a_serial_the_ca_never_issued_ends_failed_with_bad_cert_id()
    {
        // The RA's record has no copy of the certificate, so the rr names the configured issuing CA as its issuer.
        var serial = await scenario.SeedCertificateAsync(CertificateKind.Organization);
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Revoke, CertificateKind.Organization, serial));

        Assert.Equal(1, await DeliverAsync(bed.Ra));

        var failed = await scenario.GetAsync(application.ApplicationId);
        Assert.Equal(ApplicationState.Failed, failed.State);
        Assert.Contains("BadCertId", failed.FailureDetail);
        Assert.Contains(serial.TrimStart('0'), failed.FailureDetail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, bed.Relay.Forwarded); // the CA itself said so
        await AssertNeverRetriedAsync(application.ApplicationId);
    }

    private async Task AssertNeverRetriedAsync(string applicationId)
    {
        var request = await CaRequestAsync(bed.Ra, applicationId);
        Assert.NotNull(request.CompletedAt);
        Assert.Equal(1, request.Attempts);
        var seen = bed.Relay.Requests;
        bed.Ra.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await DeliverAsync(bed.Ra));
        Assert.Equal(seen, bed.Relay.Requests);
    }
}
