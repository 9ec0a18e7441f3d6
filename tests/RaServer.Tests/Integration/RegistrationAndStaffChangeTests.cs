using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Npgsql;
using Ra.Client.Signing;
using Ra.DevPki;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>Registration of certificates, and broker staff changes: resignation, transfer, disqualification.</summary>
public sealed class RegistrationAndStaffChangeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string NewFirmUbn = WorkflowScenario.SecondFirmUbn;
    private const string NewFirmName = WorkflowScenario.SecondFirmName;
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private string serial = null!;
    private string today = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        await scenario.AddSecondFirmAsync();
        serial = await scenario.SeedCertificateAsync(CertificateKind.Personal, daysLeft: 400);
        today = server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private RequestSigner NewFirmSigner()
    {
        using var moeaca = server.Pki.LoadCa(DevCa.Moeaca);
        return new RequestSigner(moeaca.IssueLeaf(new LeafSpec { SubjectDn = $"C=TW, O={NewFirmName}", Ubn = NewFirmUbn }), server.Clock);
    }

    private Task<RegisterCertificateResponse> RegisterAsync(RequestSigner signer, string firmUbn, string firmName) =>
        scenario.Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = signer.Sign(new RegisterCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(firmUbn, firmName), SerialHex = serial, FirmUbn = firmUbn,
            }),
        }).ResponseAsync;

    private async Task<Certificate> ListedAsync(RequestSigner signer, string firmUbn, string firmName) =>
        (await scenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
        {
            Envelope = signer.Sign(new ListCertificatesPayload { Header = RequestSigner.OrganizationHeader(firmUbn, firmName) }),
        })).Certificates.Single(c => c.SerialHex == serial.ToLowerInvariant());

    private async Task<string[]> EventsAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT kind FROM certificate_events WHERE serial_hex = @serial ORDER BY id", new { serial })).ToArray();
    }

    [Fact]
    public async Task The_firm_registers_its_brokers_certificate_once_and_lists_it_as_registered()
    {
        var registered = await RegisterAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        Assert.True(registered.Certificate.Registered);
        Assert.Equal(WorkflowScenario.FirmUbn, registered.Certificate.RegisteredFirmUbn);

        await RegisterAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        Assert.Equal(["REGISTERED"], await EventsAsync());
        Assert.True((await ListedAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName)).Registered);
    }

    [Fact]
    public async Task A_firm_without_a_mandate_for_the_broker_is_told_his_certificate_is_not_found_as_if_it_did_not_exist()
    {
        await RpcAssert.RefusedAsync(StatusCode.NotFound, "CERTIFICATE_NOT_FOUND",
            () => RegisterAsync(NewFirmSigner(), NewFirmUbn, NewFirmName));
    }

    [Fact]
    public async Task Resignation_ends_the_registration_with_that_firm()
    {
        await RegisterAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        await scenario.Officer.EndMandateAsync(new EndMandateRequest
        {
            NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today, ClerkId = "clerk-007",
        });
        Assert.False((await ListedAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName)).Registered);
        Assert.Equal(["REGISTERED", "REGISTRATION_ENDED", "MANDATE_ENDED"], await EventsAsync());
        Assert.Equal(["EndMandate"], await AcceptedAuditAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task After_a_transfer_in_either_order_the_new_firm_registers_the_same_certificate(bool endFirst)
    {
        await RegisterAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        var end = () => scenario.Officer.EndMandateAsync(new EndMandateRequest
        {
            NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today,
        }).ResponseAsync;
        var hire = () => scenario.Officer.RecordMandateAsync(new RecordMandateRequest
        {
            Mandate = new Mandate { NationalId = WorkflowScenario.BrokerId, FirmUbn = NewFirmUbn, StartDate = today },
        }).ResponseAsync;
        if (endFirst) { await end(); await hire(); } else { await hire(); }

        var registered = await RegisterAsync(NewFirmSigner(), NewFirmUbn, NewFirmName);
        Assert.Equal(NewFirmUbn, registered.Certificate.RegisteredFirmUbn);
        if (!endFirst)
            await end();

        Assert.Equal(NewFirmUbn, (await ListedAsync(NewFirmSigner(), NewFirmUbn, NewFirmName)).RegisteredFirmUbn);
        // The old firm still sees the certificate it obtained, but its registration there has ended.
        Assert.Equal(NewFirmUbn, (await ListedAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName)).RegisteredFirmUbn);
        Assert.Contains("REGISTRATION_ENDED", await EventsAsync());
    }

    [Fact]
    public async Task A_disqualified_broker_cannot_have_his_certificate_registered_and_the_change_is_recorded()
    {
        var staff = await scenario.Officer.DisqualifyBrokerAsync(new DisqualifyBrokerRequest
        {
            NationalId = WorkflowScenario.BrokerId, EffectiveDate = today, Reason = "licence cancelled", ClerkId = "clerk-007",
        });
        Assert.Equal(BrokerStaffStatus.Disqualified, staff.BrokerStaff.Status);
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "NO_CURRENT_MANDATE",
            () => RegisterAsync(server.CompanySigner(), WorkflowScenario.FirmUbn, WorkflowScenario.FirmName));
        Assert.Equal(["HOLDER_DISQUALIFIED"], await EventsAsync());
        Assert.Equal(["DisqualifyBroker"], await AcceptedAuditAsync());
    }

    [Fact]
    public async Task Ending_a_mandate_that_is_not_open_is_refused()
    {
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "NO_OPEN_MANDATE", async () =>
            await scenario.Officer.EndMandateAsync(new EndMandateRequest { NationalId = WorkflowScenario.BrokerId, FirmUbn = NewFirmUbn, EndDate = today }));
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "DATE_INVALID", async () =>
            await scenario.Officer.EndMandateAsync(new EndMandateRequest { NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = "soon" }));
    }

    private async Task<string[]> AcceptedAuditAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT rpc FROM audit_log WHERE outcome = 'OK' AND rpc NOT LIKE '/%' ORDER BY id")).ToArray();
    }
}
