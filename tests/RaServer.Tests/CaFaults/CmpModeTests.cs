using CaConnector;
using Customs.Ra.V1;
using CertificateKind = Customs.Ra.V1.CertificateKind;
using EmbeddedCa;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// Ca:Mode=Cmp through the real server: the RA runs no CA of its own, and statuses come from the external CA's CRL
/// alone (the CA of <see cref="CmpCaTestBed"/>, a second server reached over CMP).
/// </summary>
public sealed class CmpModeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — customs declaration"u8.ToArray();

    [Fact]
    public async Task In_cmp_mode_the_ra_starts_no_embedded_ca_opens_no_ca_listener_and_makes_no_ca_keys()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);

        Assert.Null(bed.Ra.Services.GetService<EmbeddedCertificateAuthority>());
        Assert.Null(bed.Ra.CaAddress);
        Assert.Equal(0, await bed.Ra.CountAsync("embedded_ca_material"));
        Assert.Equal(1, await bed.Ca.CountAsync("embedded_ca_material")); // the external CA, in embedded mode, made its keys
    }

    [Fact]
    public async Task In_cmp_mode_a_hold_made_at_the_external_ca_shows_as_suspended_from_that_cas_crl()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        var broker = await scenario.IssueAsync(CertificateKind.Personal);
        await scenario.RegisterAsync(broker.SerialNumber);
        var verifier = new Verification.VerificationClient(bed.Ra.Channel(RaServerHarness.Client("verifier")));
        await RefreshCrlAsync(bed.Ra);
        Assert.Equal(VerificationVerdict.Valid, (await StatusAsync(verifier, broker.SerialNumber)).Verdict);

        // Held at the CA behind the RA's back: the RA's own records still say ACTIVE; only the CA's CRL knows.
        var ca = bed.Ca.Services.GetRequiredService<EmbeddedCertificateAuthority>();
        await ca.SuspendAsync(CaCertificateId.Of(broker), CancellationToken.None);
        await RefreshCrlAsync(bed.Ra);

        Assert.Equal(VerificationVerdict.CertSuspended, (await StatusAsync(verifier, broker.SerialNumber)).Verdict);
        var verified = await verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(Declaration),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(Declaration, broker, bed.Ra.Clock.GetUtcNow())),
            FirmUbn = WorkflowScenario.FirmUbn,
        });
        Assert.Equal(VerificationVerdict.CertSuspended, verified.Verdict);
        Assert.Equal((await ca.LatestCrlAsync(CancellationToken.None))!.CrlNumber,
            (long)bed.Ra.Services.GetRequiredService<CustomsCaCrl>().Current!.CrlNumber);
    }

    [Fact]
    public async Task In_cmp_mode_a_suspension_the_ra_asked_for_counts_on_the_first_call_from_the_ras_records()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres);
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();
        var broker = await scenario.IssueAsync(CertificateKind.Personal);
        await scenario.RegisterAsync(broker.SerialNumber);
        var verifier = new Verification.VerificationClient(bed.Ra.Channel(RaServerHarness.Client("verifier")));
        await RefreshCrlAsync(bed.Ra);

        await scenario.ChangeStatusAsync(ServiceType.Suspend, CertificateKind.Personal, broker.SerialNumber);

        var status = await StatusAsync(verifier, broker.SerialNumber);
        Assert.Equal(VerificationVerdict.CertSuspended, status.Verdict);
        Assert.Equal(CertificateState.Suspended, status.Evidence.CertificateState);
        Assert.Equal(StatusSource.RaRecords, status.Evidence.StatusSource);
    }

    private static Task RefreshCrlAsync(RaServerHarness ra) =>
        ra.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);

    private static async Task<GetCertificateStatusResponse> StatusAsync(Verification.VerificationClient verifier, string serial) =>
        await verifier.GetCertificateStatusAsync(new GetCertificateStatusRequest { SerialHex = serial, FirmUbn = WorkflowScenario.FirmUbn });
}
