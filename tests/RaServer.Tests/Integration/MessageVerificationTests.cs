using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Hosting;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// Every verdict of VerifySignedMessage, each produced by a real message signed with a certificate the embedded CA
/// issued through the RA, and the verdict before and after each broker staff change.
/// </summary>
public sealed class MessageVerificationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — customs declaration"u8.ToArray();
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private Verification.VerificationClient verifier = null!;
    private X509Certificate2 broker = null!;
    private string serial = null!;
    private string today = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        verifier = new Verification.VerificationClient(server.Channel(RaServerHarness.Client("verifier")));
        broker = await scenario.IssueAsync(CertificateKind.Personal);
        serial = broker.SerialNumber;
        today = server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        await RefreshCrlAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Task RefreshCrlAsync() => server.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);

    private async Task<VerifySignedMessageResponse> VerifyAsync(X509Certificate2 signer, byte[]? message = null, string firm = WorkflowScenario.FirmUbn)
    {
        var signature = DetachedCmsSigner.Sign(Declaration, signer, server.Clock.GetUtcNow());
        return await verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(message ?? Declaration), CmsSignature = ByteString.CopyFrom(signature), FirmUbn = firm,
        });
    }

    private async Task<VerificationVerdict> VerdictAsync() => (await VerifyAsync(broker)).Verdict;

    [Fact]
    public async Task A_registered_qualified_brokers_message_is_valid_with_its_evidence()
    {
        Assert.Equal(VerificationVerdict.NotRegistered, await VerdictAsync());
        await scenario.RegisterAsync(serial);

        var answer = await VerifyAsync(broker);
        Assert.Equal(VerificationVerdict.Valid, answer.Verdict);
        Assert.Equal(serial.ToLowerInvariant(), answer.Evidence.SerialHex);
        Assert.Equal(WorkflowScenario.BrokerId, answer.Evidence.Holder.Person.NationalId);
        Assert.Equal(broker.RawData, answer.Evidence.SignerCertificateDer.ToByteArray());
        Assert.Equal(StatusSource.Crl, answer.Evidence.StatusSource);
        Assert.False(string.IsNullOrEmpty(answer.Evidence.CrlNumber));
        Assert.NotNull(answer.Evidence.CrlThisUpdate);
        Assert.True(answer.Evidence.Registered && answer.Evidence.HolderQualified);
    }

    [Fact]
    public async Task A_message_changed_after_signing_has_an_invalid_signature()
    {
        await scenario.RegisterAsync(serial);
        Assert.Equal(VerificationVerdict.SignatureInvalid, (await VerifyAsync(broker, message: [.. Declaration, 0x20])).Verdict);
    }

    [Fact]
    public async Task A_signature_that_is_not_cms_or_lacks_its_signers_certificate_is_invalid_not_an_error()
    {
        var withoutCertificate = new SignedCms(new ContentInfo(Declaration), detached: true);
        withoutCertificate.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, broker) { IncludeOption = X509IncludeOption.None }, silent: true);
        foreach (var signature in new[] { "not a signature"u8.ToArray(), withoutCertificate.Encode() })
        {
            var answer = await verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
            {
                Message = ByteString.CopyFrom(Declaration), CmsSignature = ByteString.CopyFrom(signature), FirmUbn = WorkflowScenario.FirmUbn,
            });
            Assert.Equal(VerificationVerdict.SignatureInvalid, answer.Verdict);
        }
    }

    [Fact]
    public async Task A_message_signer_is_kept_in_the_envelope_signer_cache()
    {
        var signers = server.Services.GetRequiredService<SignedRequestVerifier>();
        var before = signers.CachedSigners;
        await VerdictAsync();
        Assert.Equal(before + 1, signers.CachedSigners);
        await VerdictAsync();
        Assert.Equal(before + 1, signers.CachedSigners);
    }

    [Fact]
    public async Task A_certificate_our_ca_did_not_issue_is_unknown()
    {
        var company = Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12);
        Assert.Equal(VerificationVerdict.CertUnknown, (await VerifyAsync(company)).Verdict);
    }

    [Fact]
    public async Task Suspension_unsuspension_and_revocation_show_in_the_verdict_with_the_crl_refreshed_too()
    {
        await scenario.RegisterAsync(serial);
        await scenario.ChangeStatusAsync(ServiceType.Suspend, CertificateKind.Personal, serial);
        await RefreshCrlAsync();
        Assert.Equal(VerificationVerdict.CertSuspended, await VerdictAsync());

        await scenario.ChangeStatusAsync(ServiceType.Unsuspend, CertificateKind.Personal, serial);
        await RefreshCrlAsync();
        Assert.Equal(VerificationVerdict.Valid, await VerdictAsync());

        await scenario.ChangeStatusAsync(ServiceType.Revoke, CertificateKind.Personal, serial);
        await RefreshCrlAsync();
        var revoked = await VerifyAsync(broker);
        Assert.Equal(VerificationVerdict.CertRevoked, revoked.Verdict);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Evidence.RevocationReason);
        Assert.Equal(VerificationVerdict.CertRevoked, (await verifier.GetCertificateStatusAsync(
            new GetCertificateStatusRequest { SerialHex = serial, FirmUbn = WorkflowScenario.FirmUbn })).Verdict);
    }

    [Fact]
    public async Task A_status_question_without_a_firm_ubn_is_refused_as_ubn_invalid()
    {
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "UBN_INVALID",
            async () => await verifier.GetCertificateStatusAsync(new GetCertificateStatusRequest { SerialHex = serial }));
    }

    [Fact]
    public async Task An_expired_certificate_is_reported_as_expired()
    {
        await scenario.RegisterAsync(serial);
        server.Clock.Advance(TimeSpan.FromDays(4 * 366));
        Assert.Equal(VerificationVerdict.CertExpired, await VerdictAsync());
    }

    [Fact]
    public async Task Without_a_current_crl_the_status_is_unknown_rather_than_guessed()
    {
        await scenario.RegisterAsync(serial);
        await using var blind = await RaServerHarness.StartAsync(postgres, connectionString: server.ConnectionString,
            configure: settings => settings["Ca:CrlUrl"] = "http://127.0.0.1:9/crl/none.crl");
        // The second replica has only the CRL the first saved, and it goes stale.
        blind.Clock.Advance(TimeSpan.FromDays(3));
        var client = new Verification.VerificationClient(blind.Channel(RaServerHarness.Client("verifier")));
        var answer = await client.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(Declaration),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(Declaration, broker, blind.Clock.GetUtcNow())),
            FirmUbn = WorkflowScenario.FirmUbn,
        });
        Assert.Equal(VerificationVerdict.StatusUnknown, answer.Verdict);
    }

    [Fact]
    public async Task Resignation_transfer_and_disqualification_change_the_verdict()
    {
        const string newFirm = "04595257";
        await scenario.RegisterAsync(serial);
        Assert.Equal(VerificationVerdict.Valid, await VerdictAsync());

        // Resignation: no mandate with the firm any more, and its registration ended.
        await scenario.Officer.EndMandateAsync(new EndMandateRequest
        {
            NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = server.Clock.GetUtcNow().AddDays(-1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"),
        });
        Assert.Equal(VerificationVerdict.HolderNotQualified, await VerdictAsync());

        // Transfer: a mandate at the new firm, which registers the same certificate.
        await scenario.Registry.UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator { Ubn = newFirm, Name = "新測試報關有限公司", Kind = OperatorKind.CustomsBroker, CustomsOfficeCode = "CA", BoxNumber = "301/0", Status = OperatorStatus.Active },
        });
        await scenario.Officer.RecordMandateAsync(new RecordMandateRequest { Mandate = new Mandate { NationalId = WorkflowScenario.BrokerId, FirmUbn = newFirm, StartDate = today } });
        Assert.Equal(VerificationVerdict.NotRegistered, (await VerifyAsync(broker, firm: newFirm)).Verdict);
        using (var moeaca = server.Pki.LoadCa(Ra.DevPki.DevCa.Moeaca))
        {
            var newFirmSigner = new RequestSigner(moeaca.IssueLeaf(new Ra.DevPki.LeafSpec { SubjectDn = "C=TW, O=新測試報關有限公司", Ubn = newFirm }), server.Clock);
            await scenario.Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
            {
                Envelope = newFirmSigner.Sign(new RegisterCertificatePayload
                {
                    Header = RequestSigner.OrganizationHeader(newFirm, "新測試報關有限公司"), SerialHex = serial, FirmUbn = newFirm,
                }),
            });
        }
        Assert.Equal(VerificationVerdict.Valid, (await VerifyAsync(broker, firm: newFirm)).Verdict);
        Assert.Equal(VerificationVerdict.HolderNotQualified, await VerdictAsync()); // the old firm

        // Disqualification: flagged although the certificate is not revoked.
        await scenario.Officer.DisqualifyBrokerAsync(new DisqualifyBrokerRequest { NationalId = WorkflowScenario.BrokerId, EffectiveDate = today, Reason = "licence cancelled" });
        var flagged = await VerifyAsync(broker, firm: newFirm);
        Assert.Equal(VerificationVerdict.HolderNotQualified, flagged.Verdict);
        Assert.Equal(CertificateState.Active, flagged.Evidence.CertificateState);
    }

    [Fact]
    public async Task A_renewal_issues_a_new_certificate_linked_to_the_old_one_which_stays_valid()
    {
        await using var renewing = await RaServerHarness.StartAsync(postgres,
            configure: settings => settings["Eligibility:RenewWindowDays"] = "2000");
        var renewScenario = new WorkflowScenario(renewing);
        await renewScenario.LoadRegistryAsync();
        var old = await renewScenario.IssueAsync(CertificateKind.Organization);
        var renewed = await renewScenario.IssueAsync(CertificateKind.Organization, ServiceType.Renew, old.SerialNumber);

        Assert.NotEqual(old.SerialNumber, renewed.SerialNumber);
        var listed = (await renewScenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
        {
            Envelope = renewing.CompanySigner().Sign(new ListCertificatesPayload { Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName) }),
        })).Certificates.ToDictionary(c => c.SerialHex);
        Assert.Equal(old.SerialNumber.ToLowerInvariant(), listed[renewed.SerialNumber.ToLowerInvariant()].RenewsSerialHex);
        Assert.Equal(renewed.SerialNumber.ToLowerInvariant(), listed[old.SerialNumber.ToLowerInvariant()].RenewedBySerialHex);
        Assert.Equal(CertificateState.Active, listed[old.SerialNumber.ToLowerInvariant()].State);
        var second = await renewScenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Renew, CertificateKind.Organization, old.SerialNumber));
        Assert.Equal(["CERTIFICATE_ALREADY_RENEWED"], second.RejectionReasons.Select(r => r.Code));
    }
}
