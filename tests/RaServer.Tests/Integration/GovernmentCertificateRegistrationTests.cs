using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ra.Client.Signing;
using Ra.DevPki;
using RaServer.Trust;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// Issue 9 §6: a government PKI certificate (here the test MOEACA's and MOICA's) registered for Single Window use by
/// its DER, through the public API: the refusals, the listing, and the verdicts on messages it signs, judged against
/// its CA's CRL as the RA keeps it.
/// </summary>
public sealed class GovernmentCertificateRegistrationTests(GovernmentPkiServer fixture) : IClassFixture<GovernmentPkiServer>
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — signed with a company certificate"u8.ToArray();
    private RaServerHarness Server => fixture.Server;
    private WorkflowScenario Scenario => fixture.Scenario;

    private X509Certificate2 NewCompanyCertificate(string ubn = WorkflowScenario.FirmUbn, string name = WorkflowScenario.FirmName)
    {
        using var moeaca = Server.Pki.LoadCa(DevCa.Moeaca);
        return moeaca.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, O={name}", Ubn = ubn });
    }

    private X509Certificate2 NewBrokerCertificate()
    {
        using var moica = Server.Pki.LoadCa(DevCa.Moica);
        return moica.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, CN={WorkflowScenario.BrokerName}", IdLastFour = "6789" });
    }

    /// <summary>RegisterCertificate with <paramref name="der"/>, signed with <paramref name="signer"/> as the firm.</summary>
    private Task<RegisterCertificateResponse> RegisterAsync(
        X509Certificate2 signer, byte[] der, GovernmentHolderKind kind = GovernmentHolderKind.Firm,
        string firmUbn = WorkflowScenario.FirmUbn, string serialHex = "") =>
        Scenario.Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = new RequestSigner(signer, Server.Clock).Sign(new RegisterCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                CertificateDer = ByteString.CopyFrom(der), HolderKind = kind, FirmUbn = firmUbn, SerialHex = serialHex,
            }),
        }).ResponseAsync;

    private Task<RegisterCertificateResponse> RegisterBrokerAsync(X509Certificate2 broker, string firmUbn) =>
        Scenario.Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = new RequestSigner(broker, Server.Clock).Sign(new RegisterCertificatePayload
            {
                Header = RequestSigner.PersonHeader(WorkflowScenario.BrokerId, WorkflowScenario.BrokerName),
                CertificateDer = ByteString.CopyFrom(broker.RawData), HolderKind = GovernmentHolderKind.Person, FirmUbn = firmUbn,
            }),
        }).ResponseAsync;

    private async Task<VerifySignedMessageResponse> VerifyAsync(X509Certificate2 signer, string firmUbn = WorkflowScenario.FirmUbn)
    {
        var verifier = new Verification.VerificationClient(Server.Channel(RaServerHarness.Client("verifier")));
        return await verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(Declaration),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(Declaration, signer, Server.Clock.GetUtcNow())),
            FirmUbn = firmUbn,
        });
    }

    /// <summary>Publishes a new MOEACA CRL listing <paramref name="revoked"/> and has the RA take it up, as its refresh round does.</summary>
    private async Task<BigInteger> PublishMoeacaCrlAsync(params RevokedEntry[] revoked)
    {
        var now = Server.Clock.GetUtcNow();
        var number = new BigInteger(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        byte[] crl;
        using (var moeaca = Server.Pki.LoadCa(DevCa.Moeaca))
            crl = moeaca.CreateCrl(revoked, now.AddMinutes(-1), now.AddDays(1), number);
        var file = Server.Services.GetRequiredService<IOptions<TrustOptions>>().Value.CrlFiles.Single(f => Path.GetFileName(f) == "moeaca.crl");
        await File.WriteAllBytesAsync(file, crl);
        await Server.Services.GetRequiredService<TrustCrlKeeper>().RefreshAsync(CancellationToken.None);
        return number;
    }

    /// <summary>The firm's listing of <paramref name="certificate"/>, asked with the dev company certificate (one on hold cannot sign).</summary>
    private async Task<Certificate?> ListedAsync(X509Certificate2 certificate, CertificateKind kind = CertificateKind.Unspecified)
    {
        var listing = await Scenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
        {
            Envelope = Server.CompanySigner().Sign(new ListCertificatesPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName), Kind = kind,
            }),
        });
        return listing.Certificates.SingleOrDefault(c => c.CertificateDer.Span.SequenceEqual(certificate.RawData));
    }

    [Fact]
    public async Task An_unregistered_moeaca_certificate_stays_cert_unknown()
    {
        using var company = NewCompanyCertificate();
        var answer = await VerifyAsync(company);
        Assert.Equal(VerificationVerdict.CertUnknown, answer.Verdict);
        Assert.Equal("", answer.Evidence.CrlNumber);
    }

    [Fact]
    public async Task A_moeaca_certificate_registered_for_its_firm_signs_valid_messages_judged_by_the_moeaca_crl()
    {
        using var company = NewCompanyCertificate();
        var registered = (await RegisterAsync(company, company.RawData)).Certificate;
        Assert.Equal(CertificateSource.GovernmentPki, registered.Source);
        Assert.Equal(GovernmentHolderKind.Firm, registered.GovernmentHolderKind);
        Assert.Equal(company.Issuer, registered.IssuerDn);
        Assert.Equal(WorkflowScenario.FirmUbn, registered.RegisteredFirmUbn);
        Assert.Equal(CertificateState.Active, registered.State);

        var answer = await VerifyAsync(company);
        Assert.Equal(VerificationVerdict.Valid, answer.Verdict);
        Assert.Equal(company.SerialNumber.TrimStart('0').ToLowerInvariant(), answer.Evidence.SerialHex);
        Assert.Equal(WorkflowScenario.FirmUbn, answer.Evidence.Holder.Organization.Ubn);
        Assert.Equal(company.RawData, answer.Evidence.SignerCertificateDer.ToByteArray());
        Assert.Equal(CertificateState.Active, answer.Evidence.CertificateState);
        Assert.True(answer.Evidence.Registered && answer.Evidence.HolderQualified);
        // The evidence names the CRL of the certificate's own CA, MOEACA, not the customs CA's.
        var moeacaCrl = Server.Services.GetRequiredService<CrlStore>().Statuses.Single(s => s.IssuerDn == company.Issuer);
        Assert.Equal(StatusSource.Crl, answer.Evidence.StatusSource);
        Assert.Equal(moeacaCrl.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Evidence.CrlNumber);
        Assert.Equal(moeacaCrl.ThisUpdate, answer.Evidence.CrlThisUpdate.ToDateTimeOffset());
        Assert.Equal(moeacaCrl.NextUpdate, answer.Evidence.CrlNextUpdate.ToDateTimeOffset());

        Assert.Equal(VerificationVerdict.NotRegistered, (await VerifyAsync(company, WorkflowScenario.SecondFirmUbn)).Verdict);
    }

    [Fact]
    public async Task A_hold_and_then_a_revocation_on_the_moeaca_crl_show_in_the_verdict_and_a_revoked_certificate_cannot_be_registered()
    {
        using var company = NewCompanyCertificate();
        await RegisterAsync(company, company.RawData);
        var heldAt = Server.Clock.GetUtcNow();

        var holdNumber = await PublishMoeacaCrlAsync(RevokedEntry.For(company, heldAt, X509RevocationReason.CertificateHold));
        var held = await VerifyAsync(company);
        Assert.Equal(VerificationVerdict.CertSuspended, held.Verdict);
        Assert.Equal(CertificateState.Suspended, held.Evidence.CertificateState);
        Assert.Equal(holdNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), held.Evidence.CrlNumber);
        Assert.Equal(CertificateState.Suspended, (await ListedAsync(company))!.State);

        await Task.Delay(2); // the CRL number is a millisecond count and must rise
        var revokedNumber = await PublishMoeacaCrlAsync(RevokedEntry.For(company, heldAt, X509RevocationReason.KeyCompromise));
        var revoked = await VerifyAsync(company);
        Assert.Equal(VerificationVerdict.CertRevoked, revoked.Verdict);
        Assert.Equal(CertificateState.Revoked, revoked.Evidence.CertificateState);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Evidence.RevocationReason);
        Assert.Equal(revokedNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), revoked.Evidence.CrlNumber);

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => RegisterAsync(company, company.RawData));
    }

    [Fact]
    public async Task ListCertificates_shows_a_registered_government_certificate_with_its_issuer_and_kind()
    {
        using var company = NewCompanyCertificate();
        Assert.Null(await ListedAsync(company));
        await RegisterAsync(company, company.RawData);

        var listed = await ListedAsync(company);
        Assert.NotNull(listed);
        Assert.Equal(CertificateSource.GovernmentPki, listed.Source);
        Assert.Equal(company.Issuer, listed.IssuerDn);
        Assert.Contains("工商憑證管理中心", listed.IssuerDn);
        Assert.Equal(company.Subject, listed.SubjectDn);
        Assert.Equal(CertificateKind.Organization, listed.Kind);
        Assert.Equal(CertificateState.Active, listed.State);
        Assert.True(listed.Registered);
        Assert.Equal(WorkflowScenario.FirmUbn, listed.RegisteredFirmUbn);
        Assert.NotNull(listed.RegisteredAt);
        Assert.Null(await ListedAsync(company, CertificateKind.Personal));
    }

    [Fact]
    public async Task Pages_of_one_list_the_customs_certificates_then_the_government_ones_as_one_page_does()
    {
        await Scenario.SeedCertificateAsync(CertificateKind.Organization);
        using var company = NewCompanyCertificate();
        await RegisterAsync(company, company.RawData);

        async Task<ListCertificatesResponse> PageAsync(int size, string token) =>
            await Scenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
            {
                Envelope = Server.CompanySigner().Sign(new ListCertificatesPayload
                {
                    Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                    PageSize = size, PageToken = token,
                }),
            });
        var all = (await PageAsync(500, "")).Certificates.ToList();
        Assert.Contains(all, c => c.Source == CertificateSource.Customs);
        Assert.Contains(all, c => c.Source == CertificateSource.GovernmentPki);
        // Every customs-dedicated certificate comes before the first government one.
        Assert.DoesNotContain(all.SkipWhile(c => c.Source == CertificateSource.Customs), c => c.Source == CertificateSource.Customs);

        var paged = new List<Certificate>();
        var token = "";
        do
        {
            var page = await PageAsync(1, token);
            paged.AddRange(page.Certificates);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task A_moica_certificate_is_registered_by_the_broker_for_a_firm_he_has_a_mandate_with_and_only_that()
    {
        using var broker = NewBrokerCertificate();
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "NO_CURRENT_MANDATE",
            () => RegisterBrokerAsync(broker, WorkflowScenario.SecondFirmUbn));

        var registered = (await RegisterBrokerAsync(broker, WorkflowScenario.FirmUbn)).Certificate;
        Assert.Equal(GovernmentHolderKind.Person, registered.GovernmentHolderKind);
        Assert.Equal(CertificateKind.Personal, registered.Kind);
        Assert.Equal(WorkflowScenario.BrokerId, registered.Holder.Person.NationalId);

        var answer = await VerifyAsync(broker);
        Assert.Equal(VerificationVerdict.Valid, answer.Verdict);
        Assert.Equal(WorkflowScenario.BrokerId, answer.Evidence.Holder.Person.NationalId);
        var moicaCrl = Server.Services.GetRequiredService<CrlStore>().Statuses.Single(s => s.IssuerDn == broker.Issuer);
        Assert.Equal(moicaCrl.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Evidence.CrlNumber);
    }

    [Fact]
    public async Task A_registered_moica_brokers_messages_are_flagged_once_his_mandate_with_the_firm_ends()
    {
        using var broker = NewBrokerCertificate();
        await RegisterBrokerAsync(broker, WorkflowScenario.FirmUbn);
        try
        {
            await Scenario.LoadRegistryAsync(mandateEnd: "2025-06-30");
            var answer = await VerifyAsync(broker);
            Assert.Equal(VerificationVerdict.HolderNotQualified, answer.Verdict);
            Assert.False(answer.Evidence.HolderQualified);
        }
        finally
        {
            await Scenario.LoadRegistryAsync();
        }
        Assert.Equal(VerificationVerdict.Valid, (await VerifyAsync(broker)).Verdict);
    }

    [Fact]
    public async Task A_certificate_that_does_not_chain_to_an_accepted_anchor_is_refused_and_nothing_is_stored()
    {
        await Server.BeginTestAsync();
        using var impostorRoot = TestCa.CreateRoot("C=TW, O=Government Root Certification Authority, OU=RaBackend Dev Test", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        using var impostorCa = impostorRoot.IssueSubCa("C=TW, O=行政院, OU=工商憑證管理中心, CN=RaBackend Dev Test MOEACA", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        using var lookAlike = impostorCa.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, O={WorkflowScenario.FirmName}", Ubn = WorkflowScenario.FirmUbn });
        using var company = NewCompanyCertificate();

        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "GOVERNMENT_CERT_UNTRUSTED", () => RegisterAsync(company, lookAlike.RawData));
        Assert.Equal(["certificate_der"], RpcAssert.ViolatedFields(e));
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "GOVERNMENT_CERT_MALFORMED", () => RegisterAsync(company, [0x30, 0x03, 0x02, 0x01]));
        Assert.Equal(0, await Server.CountAsync("government_certificates"));
    }

    [Fact]
    public async Task A_request_signed_with_another_certificate_than_the_one_it_registers_is_refused()
    {
        await Server.BeginTestAsync();
        using var company = NewCompanyCertificate();
        using var other = NewCompanyCertificate();
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "GOVERNMENT_CERT_NOT_SIGNER", () => RegisterAsync(other, company.RawData));
        Assert.Equal(0, await Server.CountAsync("government_certificates"));
        Assert.Equal(VerificationVerdict.CertUnknown, (await VerifyAsync(company)).Verdict);
    }

    [Fact]
    public async Task A_holder_kind_the_ca_does_not_serve_is_refused()
    {
        using var company = NewCompanyCertificate();
        foreach (var kind in new[] { GovernmentHolderKind.Person, GovernmentHolderKind.Agency, GovernmentHolderKind.Unspecified })
        {
            var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "HOLDER_KIND_NOT_SERVED", () => RegisterAsync(company, company.RawData, kind));
            Assert.Equal(["holder_kind"], RpcAssert.ViolatedFields(e));
        }
    }

    [Fact]
    public async Task A_firm_certificate_is_registered_for_its_own_ubn_only()
    {
        using var company = NewCompanyCertificate();
        var e = await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "FIRM_NOT_HOLDER",
            () => RegisterAsync(company, company.RawData, firmUbn: WorkflowScenario.SecondFirmUbn));
        Assert.Equal(["firm_ubn"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task A_gca_certificate_is_registered_as_an_agency_and_as_nothing_else()
    {
        using var gca = Server.Pki.LoadCa(DevCa.Gca);
        using var agency = gca.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, O={WorkflowScenario.FirmName}", Ubn = WorkflowScenario.FirmUbn });
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "HOLDER_KIND_NOT_SERVED",
            () => RegisterAsync(agency, agency.RawData, GovernmentHolderKind.Firm));

        var registered = (await RegisterAsync(agency, agency.RawData, GovernmentHolderKind.Agency)).Certificate;
        Assert.Equal(GovernmentHolderKind.Agency, registered.GovernmentHolderKind);
        Assert.Contains("政府憑證管理中心", registered.IssuerDn);
        Assert.Equal(VerificationVerdict.Valid, (await VerifyAsync(agency)).Verdict);
    }

    [Fact]
    public async Task A_serial_and_a_certificate_together_or_neither_are_refused()
    {
        using var company = NewCompanyCertificate();
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "REGISTRATION_TARGET_INVALID",
            () => RegisterAsync(company, company.RawData, serialHex: "0a1b"));
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "REGISTRATION_TARGET_INVALID",
            () => RegisterAsync(company, []));
    }
}
