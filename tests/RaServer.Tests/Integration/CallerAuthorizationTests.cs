using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ra.DevPki;
using RaServer.Api;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// The mTLS allow-list for every system service and role, through real TLS connections: the matrix of presented
/// certificates × services, the explicit open list, and pinning by subject as well as by key.
/// </summary>
public sealed class CallerAuthorizationTests(AuthorizationTestServer bed) : IClassFixture<AuthorizationTestServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = bed.Server;

    /// <summary>Each test counts only its own refusals on the shared server.</summary>
    public Task InitializeAsync() => server.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // One call per mTLS service; the RPC itself may be built (Registry) or not yet (UNIMPLEMENTED).
    private static readonly Dictionary<string, Func<GrpcChannel, Task>> CallService = new()
    {
        ["CustomsOffice"] = async c => await new CustomsOffice.CustomsOfficeClient(c).RejectApplicationAsync(new RejectApplicationRequest()),
        ["Registry"] = async c => await new Customs.Ra.V1.Registry.RegistryClient(c).UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = "04595252", Name = "測試報關股份有限公司", Kind = OperatorKind.CustomsBroker,
                CustomsOfficeCode = "AA", BoxNumber = "207/0", Status = OperatorStatus.Active,
            },
        }),
        ["Payments"] = async c => await new Payments.PaymentsClient(c).ConfirmPaymentAsync(new ConfirmPaymentRequest()),
        ["Verification"] = async c => await new Verification.VerificationClient(c).GetCertificateStatusAsync(new GetCertificateStatusRequest()),
    };

    private static readonly Dictionary<string, string> RoleClientOf = new()
    {
        ["CustomsOffice"] = "officer", ["Registry"] = "registry", ["Payments"] = "fees", ["Verification"] = "verifier",
    };

    public static TheoryData<string> Services => new(CallService.Keys);

    // The certificates a caller may present. The impostors carry the fee system's name in every way the old
    // allow-list read a name (CN, O without CN) from every CA the bundle lets in (GCA, the root, a sibling CA).
    public static readonly string[] Presented =
    [
        "officer", "registry", "fees", "verifier",
        "none", "self-signed", "other CA", "expired", "wrong EKU",
        "second GCA certificate with the fee system's full subject", "GCA certificate with no CN and O fees",
        "root-issued certificate with CN fees", "right name under the wrong CA (MOEACA)",
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var presented in Presented)
            foreach (var service in CallService.Keys)
                data.Add(presented, service);
        return data;
    }

    /// <summary>What the allow-list must answer: null for "let through", else the status and reason.</summary>
    private static (StatusCode Code, string Reason)? Expected(string presented, string service) => presented switch
    {
        "officer" or "registry" or "fees" or "verifier" =>
            RoleClientOf[service] == presented ? null : (StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED"),
        "none" => (StatusCode.Unauthenticated, "CLIENT_CERT_REQUIRED"),
        "self-signed" or "other CA" or "wrong EKU" => (StatusCode.Unauthenticated, "CLIENT_CERT_UNTRUSTED"),
        "expired" => (StatusCode.Unauthenticated, "CLIENT_CERT_EXPIRED"),
        _ => (StatusCode.PermissionDenied, "CLIENT_NOT_ALLOWED"),
    };

    private const string FeesSubject = "C=TW, O=RaBackend, CN=fees";

    /// <summary>
    /// Each presented certificate is made once (most cost an RSA key) and shown by every case that presents it, each
    /// over its own new TLS connection.
    /// </summary>
    private X509Certificate2? CertificateFor(string presented) => bed.Presented.GetOrAdd(presented, Make);

    private X509Certificate2? Make(string presented)
    {
        LeafSpec ClientLeaf(string dn) => new() { SubjectDn = dn, ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth] };
        X509Certificate2 IssuedBy(DevCa ca, LeafSpec spec)
        {
            using var authority = server.Pki.LoadCa(ca);
            return authority.IssueLeaf(spec);
        }
        var now = DateTimeOffset.UtcNow;
        switch (presented)
        {
            case "officer" or "registry" or "fees" or "verifier":
                return DevPki.LoadP12(server.Pki.ClientP12(RaServerHarness.Client(presented)));
            case "none":
                return null;
            case "self-signed":
            {
                using var key = System.Security.Cryptography.RSA.Create(2048);
                var request = new CertificateRequest(FeesSubject.Replace(", ", ",", StringComparison.Ordinal), key,
                    System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(ExtendedKeyUsageOids.ClientAuth)], false));
                return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(30));
            }
            case "other CA":
            {
                using var stranger = TestCa.CreateRoot("C=TW, O=Somebody Else, CN=Stranger CA");
                return stranger.IssueLeaf(ClientLeaf(FeesSubject));
            }
            case "expired":
                return IssuedBy(DevCa.Gca, ClientLeaf(FeesSubject) with { NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
            case "wrong EKU":
                return IssuedBy(DevCa.Gca, new LeafSpec { SubjectDn = FeesSubject, ExtendedKeyUsages = [ExtendedKeyUsageOids.ServerAuth] });
            case "second GCA certificate with the fee system's full subject":
                return IssuedBy(DevCa.Gca, ClientLeaf(FeesSubject));
            case "GCA certificate with no CN and O fees":
                return IssuedBy(DevCa.Gca, ClientLeaf("C=TW, O=fees"));
            case "root-issued certificate with CN fees":
                return IssuedBy(DevCa.Grca, ClientLeaf(FeesSubject));
            case "right name under the wrong CA (MOEACA)":
                return IssuedBy(DevCa.Moeaca, ClientLeaf(FeesSubject));
            default:
                throw new ArgumentOutOfRangeException(nameof(presented), presented, "no such case");
        }
    }

    [Theory, MemberData(nameof(Matrix))]
    public async Task Each_service_lets_through_exactly_its_own_roles_pinned_certificate_and_refuses_every_other(string presented, string service)
    {
        var channel = server.Channel(CertificateFor(presented));
        var expected = Expected(presented, service);
        if (expected is { } refusal)
        {
            await RpcAssert.RefusedAsync(refusal.Code, refusal.Reason, () => CallService[service](channel));
            Assert.Equal([refusal.Reason], await server.RefusalReasonsAsync());
            ReliabilityFigures.Record("authorization matrix", new { presented, service, outcome = $"{refusal.Code} {refusal.Reason}" });
            return;
        }
        var passed = "let through (OK)";
        try
        {
            await CallService[service](channel);
        }
        catch (RpcException e)
        {
            // Past the allow-list the call reaches the service: built RPCs answer, unbuilt ones say so.
            Assert.False(e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied, $"{e.StatusCode}: {e.Status.Detail}");
            passed = $"let through ({e.StatusCode} {RpcAssert.ReasonOf(e)} from the service)";
        }
        ReliabilityFigures.Record("authorization matrix", new { presented, service, outcome = passed });
    }

    [Fact]
    public async Task Every_mapped_service_is_either_open_by_name_or_given_roles_so_none_is_open_by_omission()
    {
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(server.Channel()).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        var roles = server.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ServiceRoles;
        Assert.All(services, s => Assert.True(
            AuthOptions.OpenServices.Contains(s) || roles.ContainsKey(s[(s.LastIndexOf('.') + 1)..]),
            $"{s} is neither open nor in Auth:ServiceRoles, so the interceptor refuses it to everyone"));
        Assert.Equal(CallService.Keys.Order(), roles.Keys.Order());
    }

    [Fact]
    public async Task A_service_missing_from_the_role_map_is_refused_to_every_caller_even_the_role_it_had()
    {
        // Configuration can only add roles, so the test takes a service out of a server's live map, as if nobody had
        // ever given it roles: closed, not open. Its own server, since the others must keep the map whole.
        await using var changed = await bed.StartAsync();
        changed.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ServiceRoles.Remove("Verification");

        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "SERVICE_NOT_ALLOWED",
            () => CallService["Verification"](changed.Channel(RaServerHarness.Client("verifier"))));
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_REQUIRED", () => CallService["Verification"](changed.Channel()));
    }

    [Fact]
    public async Task A_trusted_client_certificate_that_no_entry_pins_is_denied()
    {
        using var gca = server.Pki.LoadCa(DevCa.Gca);
        var certificate = gca.IssueLeaf(new LeafSpec { SubjectDn = "CN=unlisted-system", ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth] });
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "CLIENT_NOT_ALLOWED",
            () => CallService["Registry"](server.Channel(certificate)));
    }

    [Fact]
    public async Task A_client_pinned_by_its_full_subject_is_recognised_by_that_subject_under_its_issuer_only()
    {
        await using var pinnedBySubject = await bed.StartAsync(settings =>
        {
            settings.Remove("Auth:Clients:fees:SpkiSha256");
            settings["Auth:Clients:fees:Subject"] = "CN=fees,O=RaBackend,C=TW";
        });
        using var gca = pinnedBySubject.Pki.LoadCa(DevCa.Gca);
        using var moeaca = pinnedBySubject.Pki.LoadCa(DevCa.Moeaca);
        LeafSpec Fees(string dn) => new() { SubjectDn = dn, ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth] };

        // The same full subject from GCA is the fee system (re-keyed); any other subject, or the same from another CA, is not.
        await AssertPassesAsync(() => CallService["Payments"](pinnedBySubject.Channel(gca.IssueLeaf(Fees(FeesSubject)))));
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "CLIENT_NOT_ALLOWED",
            () => CallService["Payments"](pinnedBySubject.Channel(gca.IssueLeaf(Fees("C=TW, O=Other Agency, CN=fees")))));
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "CLIENT_NOT_ALLOWED",
            () => CallService["Payments"](pinnedBySubject.Channel(moeaca.IssueLeaf(Fees(FeesSubject)))));
    }

    private static async Task AssertPassesAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            Assert.False(e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied, $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    [Fact]
    public async Task Applicants_health_and_reflection_need_no_client_certificate()
    {
        var channel = server.Channel();
        var info = await new RegistrationAuthority.RegistrationAuthorityClient(channel).GetRaInfoAsync(new GetRaInfoRequest());
        Assert.Equal(14, info.PaymentDeadlineDays);
        Assert.Contains(info.FeeSchedule, f => f.Kind == CertificateKind.Personal && f.ServiceType == ServiceType.New && f.AmountNtd > 0);
        Assert.Contains(info.AcceptedCertificateTypes, t => t.Code == "MOEACA");

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("customs.ra.v1.RegistrationAuthority", services);
        Assert.Contains("customs.ra.v1.Registry", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
