using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ra.DevPki;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>The mTLS allow-list for every system service and role, through real TLS connections.</summary>
/// <remarks>One server for the class: each test opens its own channels and asserts only on its own refusals.</remarks>
public sealed class CallerAuthorizationTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;

    public Task InitializeAsync() => shared.BeginTestAsync(loadRegistry: false);
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

    public static TheoryData<string, string> WrongRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in CallService.Keys)
            foreach (var client in RoleClientOf.Values.Where(c => c != RoleClientOf[service]))
                data.Add(service, client);
        return data;
    }

    [Theory, MemberData(nameof(Services))]
    public async Task A_system_service_called_without_a_client_certificate_is_unauthenticated(string service)
    {
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_REQUIRED", () => CallService[service](server.Channel()));
        Assert.Equal(["CLIENT_CERT_REQUIRED"], await server.RefusalReasonsAsync());
    }

    [Theory, MemberData(nameof(WrongRoles))]
    public async Task A_system_service_refuses_a_known_client_of_another_role(string service, string client)
    {
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => CallService[service](server.Channel(RaServerHarness.Client(client))));
        Assert.Equal(["ROLE_NOT_ALLOWED"], await server.RefusalReasonsAsync());
    }

    [Theory, MemberData(nameof(Services))]
    public async Task A_system_service_lets_its_own_role_through(string service)
    {
        var channel = server.Channel(RaServerHarness.Client(RoleClientOf[service]));
        try
        {
            await CallService[service](channel);
        }
        catch (RpcException e)
        {
            // Past the allow-list the call reaches the service: built RPCs answer, unbuilt ones say so.
            Assert.DoesNotContain(e.StatusCode, new[] { StatusCode.Unauthenticated, StatusCode.PermissionDenied });
        }
    }

    [Fact]
    public async Task A_client_certificate_from_an_untrusted_issuer_is_unauthenticated()
    {
        using var stranger = TestCa.CreateRoot("C=TW, O=Somebody Else, CN=Stranger CA");
        var certificate = stranger.IssueLeaf(new LeafSpec { SubjectDn = "CN=registry", ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth] });
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_UNTRUSTED",
            () => CallService["Registry"](server.Channel(certificate)));
    }

    [Fact]
    public async Task A_trusted_client_certificate_whose_name_is_not_on_the_allow_list_is_denied()
    {
        using var gca = server.Pki.LoadCa(DevCa.Gca);
        var certificate = gca.IssueLeaf(new LeafSpec { SubjectDn = "CN=unlisted-system", ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth] });
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, "CLIENT_NOT_ALLOWED",
            () => CallService["Registry"](server.Channel(certificate)));
    }

    [Fact]
    public async Task An_expired_client_certificate_is_unauthenticated()
    {
        using var gca = server.Pki.LoadCa(DevCa.Gca);
        var now = DateTimeOffset.UtcNow;
        var certificate = gca.IssueLeaf(new LeafSpec
        {
            SubjectDn = "CN=registry", ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth],
            NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1),
        });
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_EXPIRED",
            () => CallService["Registry"](server.Channel(certificate)));
    }

    [Fact]
    public async Task A_server_only_certificate_is_not_accepted_as_a_client_certificate()
    {
        using var gca = server.Pki.LoadCa(DevCa.Gca);
        var certificate = gca.IssueLeaf(new LeafSpec { SubjectDn = "CN=registry", ExtendedKeyUsages = [ExtendedKeyUsageOids.ServerAuth] });
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_UNTRUSTED",
            () => CallService["Registry"](server.Channel(certificate)));
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
