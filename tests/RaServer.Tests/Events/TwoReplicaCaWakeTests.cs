using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Ra.Client.Signing;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Events;

/// <summary>
/// A CA request committed on one replica is sent by another at once: the committing replica announces it
/// (ra_ca_requests) and the other's workers wake. Replica A has no CA workers; B's workers poll on the test's fake
/// clock, which never advances here, so B can only have heard of the request through the announcement.
/// </summary>
public sealed class TwoReplicaCaWakeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_key_submitted_through_one_replica_is_certified_by_the_other_without_waiting_for_its_poll()
    {
        await using var replicaA = await RaServerHarness.StartAsync(postgres);
        await using var replicaB = await RaServerHarness.StartAsync(postgres, connectionString: replicaA.ConnectionString,
            configure: settings => settings["CaDispatch:Concurrency"] = "1");
        var scenario = new WorkflowScenario(replicaA);
        await scenario.LoadRegistryAsync();
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(application.PaymentSlip);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await scenario.Applicants.SubmitCsrAsync(new SubmitCsrRequest
        {
            Envelope = replicaA.CompanySigner().Sign(new SubmitCsrPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                ApplicationId = application.ApplicationId,
                CsrDer = Google.Protobuf.ByteString.CopyFrom(new CertificateRequest("CN=applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest()),
            }),
        });

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        ApplicationState state;
        while ((state = (await scenario.GetAsync(application.ApplicationId)).State) != ApplicationState.Completed)
        {
            Assert.Equal(ApplicationState.Forwarded, state);
            await Task.Delay(50, deadline.Token);
        }
    }
}
