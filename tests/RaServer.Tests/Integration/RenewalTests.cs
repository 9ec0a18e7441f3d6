using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// A renewal as the manual describes it (SERVICE_TYPE_RENEW in common.proto): the new certificate is in use the
/// moment it is issued, taking over the old one's registration, and the time left on the old one is not lost.
/// The renewal window is opened wide so a certificate issued a moment ago can be renewed.
/// </summary>
public sealed class RenewalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — renewal"u8.ToArray();
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private Verification.VerificationClient verifier = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres, configure: settings => settings["Eligibility:RenewWindowDays"] = "2000");
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        verifier = new Verification.VerificationClient(server.Channel(RaServerHarness.Client("verifier")));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<VerificationVerdict> VerdictAsync(X509Certificate2 signer)
    {
        await server.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);
        var signature = DetachedCmsSigner.Sign(Declaration, signer, server.Clock.GetUtcNow());
        return (await verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(Declaration), CmsSignature = ByteString.CopyFrom(signature), FirmUbn = WorkflowScenario.FirmUbn,
        })).Verdict;
    }

    private async Task<Certificate> ListedAsync(X509Certificate2 certificate) =>
        (await scenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
        {
            Envelope = server.CompanySigner().Sign(new ListCertificatesPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
            }),
        })).Certificates.Single(c => c.SerialHex == certificate.SerialNumber.ToLowerInvariant());

    [Theory]
    [InlineData(CertificateKind.Organization)]
    [InlineData(CertificateKind.Personal)]
    public async Task A_renewed_certificate_takes_over_the_old_ones_registration_and_is_valid_at_once(CertificateKind kind)
    {
        var old = await scenario.IssueAsync(kind);
        await scenario.RegisterAsync(old.SerialNumber);
        Assert.Equal(VerificationVerdict.Valid, await VerdictAsync(old));

        var renewed = await scenario.IssueAsync(kind, ServiceType.Renew, old.SerialNumber);

        Assert.Equal(VerificationVerdict.Valid, await VerdictAsync(renewed));
        Assert.Equal(WorkflowScenario.FirmUbn, (await ListedAsync(renewed)).RegisteredFirmUbn);
        var before = await ListedAsync(old);
        Assert.Equal("", before.RegisteredFirmUbn);
        Assert.Equal(CertificateState.Active, before.State);
        Assert.Equal(VerificationVerdict.NotRegistered, await VerdictAsync(old));
    }

    [Fact]
    public async Task A_renewal_of_an_unregistered_certificate_registers_nothing()
    {
        var old = await scenario.IssueAsync(CertificateKind.Organization);
        var renewed = await scenario.IssueAsync(CertificateKind.Organization, ServiceType.Renew, old.SerialNumber);

        Assert.Equal("", (await ListedAsync(renewed)).RegisteredFirmUbn);
        Assert.Equal(VerificationVerdict.NotRegistered, await VerdictAsync(renewed));
    }

    [Fact]
    public async Task A_renewal_keeps_the_paid_time_left_on_the_old_certificate()
    {
        var years = (await scenario.Applicants.GetRaInfoAsync(new GetRaInfoRequest())).FeeSchedule
            .Single(f => f.Kind == CertificateKind.Organization && f.ServiceType == ServiceType.Renew).ValidityYears;
        var old = await scenario.IssueAsync(CertificateKind.Organization);
        var issuedAt = server.Clock.GetUtcNow();

        var renewed = await scenario.IssueAsync(CertificateKind.Organization, ServiceType.Renew, old.SerialNumber);

        Assert.Equal(old.NotAfter.ToUniversalTime().AddYears(years), renewed.NotAfter.ToUniversalTime());
        Assert.True(renewed.NotBefore.ToUniversalTime() <= issuedAt.UtcDateTime, "the renewed certificate is valid from its issue");
        Assert.True(renewed.NotAfter - old.NotAfter > TimeSpan.FromDays(365 * years - 1));
    }
}
