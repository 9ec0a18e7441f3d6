using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Npgsql;
using Ra.Client.Signing;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// A serial that exists but belongs to someone else is answered exactly like one the RA never issued (same status,
/// reason and message) on every applicant RPC that takes a serial, so an applicant cannot learn which serials exist.
/// </summary>
public sealed class SerialProbingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string OtherFirmUbn = WorkflowScenario.SecondFirmUbn;
    private const string OtherFirmName = WorkflowScenario.SecondFirmName;
    // Spelled the way the RA spells the serials it issues, so only existence and ownership differ.
    private static readonly string UnknownSerial = CaConnector.SerialNumbers.ToHex(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private string othersSerial = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        await scenario.AddSecondFirmAsync();
        othersSerial = await SeedOtherFirmsCertificateAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>An active organization certificate of the other firm, with its DER, so only ownership tells it apart.</summary>
    private async Task<string> SeedOtherFirmsCertificateAsync()
    {
        var serial = CaConnector.SerialNumbers.ToHex(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var now = server.Clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_name, firm_ubn, owner_ubn,
                not_before, not_after, created_at, updated_at)
            VALUES (@serial, 'ORGANIZATION', 'ACTIVE', @name, @firm, @firm, @notBefore, @notAfter, @now, @now)
            """,
            new { serial, name = OtherFirmName, firm = OtherFirmUbn, notBefore = now.AddYears(-1), notAfter = now.AddDays(400), now });
        return serial;
    }

    private static RequestHeader Header() => RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);

    private static async Task<(StatusCode, string?, string)> AnswerOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        return (e.StatusCode, RpcAssert.ReasonOf(e), e.Status.Detail);
    }

    [Fact]
    public async Task Downloading_someone_elses_certificate_by_serial_is_answered_as_an_unknown_serial()
    {
        Task Download(string serial) => scenario.Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload { Header = Header(), SerialHex = serial }),
        }).ResponseAsync;

        var unknown = await AnswerOf(() => Download(UnknownSerial));
        Assert.Equal((StatusCode.NotFound, "CERTIFICATE_NOT_FOUND"), (unknown.Item1, unknown.Item2));
        Assert.Equal(unknown, await AnswerOf(() => Download(othersSerial)));
    }

    [Fact]
    public async Task Registering_someone_elses_certificate_is_answered_as_an_unknown_serial()
    {
        Task Register(string serial) => scenario.Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new RegisterCertificatePayload
            {
                Header = Header(), SerialHex = serial, FirmUbn = WorkflowScenario.FirmUbn,
            }),
        }).ResponseAsync;

        var unknown = await AnswerOf(() => Register(UnknownSerial));
        Assert.Equal((StatusCode.NotFound, "CERTIFICATE_NOT_FOUND"), (unknown.Item1, unknown.Item2));
        Assert.Equal(unknown, await AnswerOf(() => Register(othersSerial)));
    }

    [Theory]
    [InlineData(ServiceType.Revoke)]
    [InlineData(ServiceType.Suspend)]
    [InlineData(ServiceType.Unsuspend)]
    public async Task An_application_for_someone_elses_certificate_is_rejected_as_for_an_unknown_serial(ServiceType service)
    {
        async Task<string[]> RejectionFor(string serial)
        {
            var application = await scenario.SubmitAsync(WorkflowScenario.Content(service, CertificateKind.Organization, serial));
            Assert.Equal(ApplicationState.Rejected, application.State);
            return application.RejectionReasons.Select(r => $"{r.Code} {r.Text}").ToArray();
        }

        var unknown = await RejectionFor(UnknownSerial);
        Assert.Contains(unknown, r => r.StartsWith("CERTIFICATE_NOT_FOUND ", StringComparison.Ordinal));
        Assert.Equal(unknown, await RejectionFor(othersSerial));
    }

    [Fact]
    public async Task Listing_certificates_shows_none_of_someone_elses()
    {
        var listed = await scenario.Applicants.ListCertificatesAsync(new ListCertificatesRequest
        {
            Envelope = server.CompanySigner().Sign(new ListCertificatesPayload { Header = Header() }),
        });
        Assert.DoesNotContain(listed.Certificates, c => string.Equals(c.SerialHex, othersSerial, StringComparison.OrdinalIgnoreCase));
    }
}
