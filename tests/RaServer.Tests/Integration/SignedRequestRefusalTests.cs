using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Ra.Client.Signing;
using Ra.DevPki;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// Caller identity and message integrity through the public gRPC API, with real CMS signatures made from
/// the dev PKI: every refusal is a status with a machine-readable reason, leaves one audit row, and stores
/// nothing else.
/// </summary>
/// <remarks>
/// One server for the class (each test asserts on the rows and refusals since it began); the tests that need another
/// CRL or move the clock start their own.
/// </remarks>
public sealed class SignedRequestRefusalTests(PostgresFixture postgres, SharedRaServer shared)
    : IClassFixture<PostgresFixture>, IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private const string CompanyUbn = "04595252";
    private const string CompanyName = "測試報關股份有限公司";
    private readonly RaServerHarness server = shared.Server;

    public Task InitializeAsync() => shared.BeginTestAsync(loadRegistry: false);
    public Task DisposeAsync() => Task.CompletedTask;

    private RegistrationAuthority.RegistrationAuthorityClient Client(RaServerHarness? on = null) =>
        new((on ?? server).Channel());

    private static ListApplicationsPayload CompanyListing(string ubn = CompanyUbn) =>
        new() { Header = RequestSigner.OrganizationHeader(ubn, CompanyName) };

    private Task<ListApplicationsResponse> ListAsync(SignedEnvelope envelope, RaServerHarness? on = null) =>
        Client(on).ListApplicationsAsync(new ListApplicationsRequest { Envelope = envelope }).ResponseAsync;

    private async Task AssertRefusedAndAuditedAsync(StatusCode code, string reason, SignedEnvelope envelope, RaServerHarness? on = null)
    {
        await RpcAssert.RefusedAsync(code, reason, () => ListAsync(envelope, on));
        var target = on ?? server;
        Assert.Equal([reason], await target.RefusalReasonsAsync());
        Assert.Equal(0, await target.CountAsync("signed_requests"));
        Assert.Equal(0, await target.CountAsync("applications"));
    }

    private X509Certificate2 MoeacaLeaf(LeafSpec spec)
    {
        using var moeaca = server.Pki.LoadCa(DevCa.Moeaca);
        return moeaca.IssueLeaf(spec);
    }

    [Fact]
    public async Task A_request_signed_by_the_company_for_itself_is_accepted()
    {
        var response = await ListAsync(server.CompanySigner().Sign(CompanyListing()));
        Assert.Empty(response.Applications);
        Assert.Empty(await server.RefusalReasonsAsync());
    }

    [Fact]
    public async Task A_request_signed_by_a_broker_with_moica_for_himself_is_accepted()
    {
        var payload = new ListApplicationsPayload { Header = RequestSigner.PersonHeader("A123456789", "測試人員") };
        var response = await ListAsync(server.BrokerSigner().Sign(payload));
        Assert.Empty(response.Applications);
    }

    [Fact]
    public async Task A_payload_changed_after_signing_is_refused()
    {
        var envelope = server.CompanySigner().Sign(CompanyListing());
        var bytes = envelope.Payload.ToByteArray();
        bytes[^1] ^= 0x01;
        envelope.Payload = ByteString.CopyFrom(bytes);
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNATURE_INVALID", envelope);
    }

    [Fact]
    public async Task A_signer_who_is_not_the_applicant_named_in_the_payload_is_denied()
    {
        var envelope = server.CompanySigner().Sign(CompanyListing(ubn: "04595257"));
        await AssertRefusedAndAuditedAsync(StatusCode.PermissionDenied, "SIGNER_NOT_APPLICANT", envelope);
    }

    [Fact]
    public async Task A_certificate_that_had_expired_at_signing_time_is_refused()
    {
        var now = server.Clock.GetUtcNow();
        var expired = MoeacaLeaf(new LeafSpec { SubjectDn = $"C=TW, O={CompanyName}", Ubn = CompanyUbn, NotBefore = now.AddYears(-5), NotAfter = now.AddDays(-1) });
        var envelope = new RequestSigner(expired, server.Clock).Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_EXPIRED", envelope);
    }

    [Fact]
    public async Task A_certificate_on_its_issuers_crl_is_refused()
    {
        var revoked = MoeacaLeaf(new LeafSpec { SubjectDn = $"C=TW, O={CompanyName}", Ubn = CompanyUbn });
        using var moeaca = server.Pki.LoadCa(DevCa.Moeaca);
        var now = DateTimeOffset.UtcNow;
        var crl = moeaca.CreateCrl([RevokedEntry.For(revoked, now.AddMinutes(-1), X509RevocationReason.KeyCompromise)],
            now.AddMinutes(-1), now.AddDays(1), new BigInteger(now.ToUnixTimeMilliseconds()));
        await using var withCrl = await RaServerHarness.StartAsync(postgres, crls: new Dictionary<DevCa, byte[]> { [DevCa.Moeaca] = crl });

        var envelope = new RequestSigner(revoked, withCrl.Clock).Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", envelope, withCrl);
        // The company's own certificate is not on that CRL and still works.
        await ListAsync(withCrl.CompanySigner().Sign(CompanyListing()), withCrl);
    }

    [Fact]
    public async Task A_certificate_from_an_untrusted_root_that_copies_the_government_names_is_refused()
    {
        using var fakeRoot = TestCa.CreateRoot("C=TW, O=Government Root Certification Authority, OU=RaBackend Dev Test");
        using var fakeMoeaca = fakeRoot.IssueSubCa("C=TW, O=行政院, OU=工商憑證管理中心");
        var leaf = fakeMoeaca.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, O={CompanyName}", Ubn = CompanyUbn });
        var envelope = new RequestSigner(leaf, server.Clock).Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNER_UNTRUSTED", envelope);
    }

    [Fact]
    public async Task A_crl_past_its_next_update_makes_the_ra_refuse_as_unavailable_rather_than_accept()
    {
        await using var later = await RaServerHarness.StartAsync(postgres); // the shared server's clock stays put
        later.Clock.Advance(SharedDevPki.CrlLifetime + TimeSpan.FromDays(1));
        var envelope = later.CompanySigner().Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unavailable, "CRL_UNAVAILABLE", envelope, later);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_signing_time_more_than_five_minutes_off_the_server_clock_is_refused(int minutes)
    {
        var signerClock = new FakeTimeProvider(server.Clock.GetUtcNow().AddMinutes(minutes));
        var envelope = new RequestSigner(Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12), signerClock).Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNING_TIME_OUT_OF_WINDOW", envelope);
    }

    [Fact]
    public async Task A_certificate_whose_ubn_extension_and_subject_serial_number_disagree_is_refused()
    {
        var leaf = MoeacaLeaf(new LeafSpec { SubjectDn = $"C=TW, O={CompanyName}", Ubn = CompanyUbn, SubjectSerialNumber = "04595257" });
        var envelope = new RequestSigner(leaf, server.Clock).Sign(CompanyListing());
        await AssertRefusedAndAuditedAsync(StatusCode.Unauthenticated, "SIGNER_UBN_CONFLICT", envelope);
    }

    [Fact]
    public async Task An_applicant_ubn_with_a_bad_checksum_is_invalid_with_a_field_violation()
    {
        var envelope = server.CompanySigner().Sign(CompanyListing(ubn: "12345678"));
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "UBN_INVALID", () => ListAsync(envelope));
        Assert.Equal(["header.applicant.organization.ubn"], RpcAssert.ViolatedFields(e));
        Assert.Equal(["UBN_INVALID"], await server.RefusalReasonsAsync());
    }

    [Fact]
    public async Task An_applicant_national_id_with_a_bad_checksum_is_invalid_with_a_field_violation()
    {
        var payload = new ListApplicationsPayload { Header = RequestSigner.PersonHeader("A123456788", "測試人員") };
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "PERSON_ID_INVALID",
            () => ListAsync(server.BrokerSigner().Sign(payload)));
        Assert.Equal(["header.applicant.person.national_id"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task A_missing_envelope_a_malformed_payload_and_a_bad_request_id_are_each_invalid()
    {
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "ENVELOPE_MISSING", () => ListAsync(new SignedEnvelope()));

        var garbage = new byte[] { 0xff, 0xff, 0xff };
        var garbageEnvelope = new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(garbage),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(garbage, Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12), server.Clock.GetUtcNow())),
        };
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "PAYLOAD_MALFORMED", () => ListAsync(garbageEnvelope));

        var payload = CompanyListing();
        payload.Header.RequestId = "not-a-uuid";
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "REQUEST_ID_INVALID", () => ListAsync(server.CompanySigner().Sign(payload)));
        Assert.Equal(["header.request_id"], RpcAssert.ViolatedFields(e));

        Assert.Equal(["ENVELOPE_MISSING", "PAYLOAD_MALFORMED", "REQUEST_ID_INVALID"], await server.RefusalReasonsAsync());
    }

    [Fact]
    public async Task A_signature_made_by_openssl_cms_a_third_party_producer_is_accepted()
    {
        var listing = CompanyListing();
        listing.Header.Rpc = RequestSigner.RpcOf(listing); // a third-party producer names the RPC itself
        var payload = listing.ToByteArray();
        var company = Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12);
        var folder = Directory.CreateTempSubdirectory("ra-openssl-cms-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "payload.bin"), payload);
            await File.WriteAllTextAsync(Path.Combine(folder, "signer.pem"), company.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), company.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
                ["cms", "-sign", "-binary", "-outform", "DER", "-md", "sha256", "-in", "payload.bin", "-signer", "signer.pem",
                 "-inkey", "key.pem", "-out", "signature.der"]) { WorkingDirectory = folder, RedirectStandardError = true })!;
            await openssl.WaitForExitAsync();
            Assert.True(openssl.ExitCode == 0, await openssl.StandardError.ReadToEndAsync());

            var envelope = new SignedEnvelope
            {
                Payload = ByteString.CopyFrom(payload),
                CmsSignature = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(folder, "signature.der"))),
            };
            var response = await ListAsync(envelope);
            Assert.Empty(response.Applications);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_payload_signed_for_one_read_rpc_is_refused_by_another_whose_payload_parses_from_the_same_bytes()
    {
        // ListApplicationsPayload and ListCertificatesPayload have the same wire shape, so the bytes parse as either.
        var envelope = server.CompanySigner().Sign(CompanyListing());

        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "RPC_MISMATCH", () =>
            Client().ListCertificatesAsync(new ListCertificatesRequest { Envelope = envelope }).ResponseAsync);
        Assert.Equal(["header.rpc"], RpcAssert.ViolatedFields(e));
        Assert.Empty((await ListAsync(envelope)).Applications); // on the RPC it was signed for, the same envelope is fine
        Assert.Equal(["RPC_MISMATCH"], await server.RefusalReasonsAsync());
    }

    [Fact]
    public async Task A_payload_whose_header_names_no_rpc_is_refused()
    {
        var payload = CompanyListing().ToByteArray(); // signed as bytes, so the SDK does not fill the rpc in
        var envelope = new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(payload),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(payload, Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12), server.Clock.GetUtcNow())),
        };

        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "RPC_MISSING", () => ListAsync(envelope));
        Assert.Equal(["header.rpc"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task A_payload_naming_another_rpc_than_the_one_called_is_refused_audited_and_stores_nothing()
    {
        var payload = CompanyListing();
        payload.Header.Rpc = "/customs.ra.v1.RegistrationAuthority/ListCertificates";

        await AssertRefusedAndAuditedAsync(StatusCode.InvalidArgument, "RPC_MISMATCH", server.CompanySigner().Sign(payload));
    }
}
