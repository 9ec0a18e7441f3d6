using Customs.Ra.V1;
using Dapper;
using Npgsql;
using Ra.Client.Signing;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// Application.customs_office_code: an online application carries the office its operator is registered with (kept
/// from submission), a paper one its receiving office, and the office's own listing holds only what it received.
/// </summary>
/// <remarks>The dev officer works at AA, where the test firm is registered; a test that needs another office moves the
/// firm in the registry, and the next test's <see cref="SharedRaServer.BeginTestAsync"/> puts it back.</remarks>
public sealed class RegisteredOfficeTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;
    private readonly WorkflowScenario scenario = shared.Scenario;

    public Task InitializeAsync() => shared.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_online_application_shows_the_office_its_operator_is_registered_with_in_get_and_list()
    {
        await MoveFirmToAsync("CA"); // not the officer's AA: the code comes from the registry, not from an office

        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var fetched = await scenario.GetAsync(submitted.ApplicationId);
        var listed = (await ListMineAsync()).Single(a => a.ApplicationId == submitted.ApplicationId);

        Assert.Equal(ApplicationChannel.Online, fetched.Channel);
        Assert.Equal(["CA", "CA", "CA"], new[] { submitted.CustomsOfficeCode, fetched.CustomsOfficeCode, listed.CustomsOfficeCode });
        Assert.Null(fetched.PaperIntake);
    }

    [Fact]
    public async Task The_office_is_stored_at_submission_and_a_later_registry_move_does_not_change_it()
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await MoveFirmToAsync("DA");

        Assert.Equal("AA", await StoredRegisteredOfficeAsync(application.ApplicationId));
        Assert.Equal("AA", (await scenario.GetAsync(application.ApplicationId)).CustomsOfficeCode);
        var next = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization,
            await scenario.SeedCertificateAsync(CertificateKind.Organization)));
        Assert.Equal("DA", next.CustomsOfficeCode);
    }

    [Fact]
    public async Task A_personal_application_carries_the_brokers_firms_office_whether_the_firm_or_the_broker_signed()
    {
        await MoveFirmToAsync("BA");

        var byFirm = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        var byBroker = (await scenario.Applicants.SubmitApplicationAsync(new SubmitApplicationRequest
        {
            Envelope = server.BrokerSigner().Sign(new SubmitApplicationPayload
            {
                Header = RequestSigner.PersonHeader(WorkflowScenario.BrokerId, WorkflowScenario.BrokerName),
                Content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal),
            }),
        })).Application;
        var byBrokerFetched = (await scenario.Applicants.GetApplicationAsync(new GetApplicationRequest
        {
            Envelope = server.BrokerSigner().Sign(new GetApplicationPayload
            {
                Header = RequestSigner.PersonHeader(WorkflowScenario.BrokerId, WorkflowScenario.BrokerName),
                ApplicationId = byBroker.ApplicationId,
            }),
        })).Application;

        Assert.Equal(ApplicationState.AwaitingPayment, byFirm.State);
        Assert.Equal(ApplicationState.AwaitingPayment, byBroker.State);
        Assert.NotNull(byBroker.Applicant.Person);
        Assert.Equal("BA", (await scenario.GetAsync(byFirm.ApplicationId)).CustomsOfficeCode);
        Assert.Equal("BA", byBrokerFetched.CustomsOfficeCode);
    }

    [Fact]
    public async Task An_online_application_is_not_in_the_listing_of_the_office_its_operator_is_registered_with()
    {
        var online = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var paper = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        Assert.Equal("AA", online.CustomsOfficeCode); // the officer's own office

        var listed = await ListOfficeAsync(ApplicationChannel.Unspecified);
        var onlineOnly = await ListOfficeAsync(ApplicationChannel.Online);

        Assert.Contains(paper.ApplicationId, listed);
        Assert.DoesNotContain(online.ApplicationId, listed);
        Assert.Empty(onlineOnly);
    }

    [Fact]
    public async Task A_paper_application_shows_its_receiving_office_not_its_operators()
    {
        await MoveFirmToAsync("CA");

        var application = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var fetched = await scenario.GetAsync(application.ApplicationId);

        Assert.Equal(ApplicationState.AwaitingPayment, application.State);
        Assert.Equal("AA", fetched.CustomsOfficeCode);
        Assert.Equal("AA", fetched.PaperIntake.ReceivingOfficeCode);
        Assert.Null(await StoredRegisteredOfficeAsync(application.ApplicationId));
    }

    [Fact]
    public async Task An_online_application_for_an_operator_the_registry_lacks_is_rejected_and_names_no_office()
    {
        var content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal);
        content.Personal.FirmUbn = WorkflowScenario.SecondFirmUbn; // valid, but not loaded on this server

        var application = await scenario.SubmitAsync(content);

        Assert.Equal(ApplicationState.Rejected, application.State);
        Assert.Contains("OPERATOR_NOT_REGISTERED", application.RejectionReasons.Select(r => r.Code));
        Assert.Equal("", application.CustomsOfficeCode);
        Assert.Null(await StoredRegisteredOfficeAsync(application.ApplicationId));
    }

    private Task MoveFirmToAsync(string office) =>
        scenario.Registry.UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = WorkflowScenario.FirmUbn, Name = WorkflowScenario.FirmName, Kind = OperatorKind.CustomsBroker,
                CustomsOfficeCode = office, BoxNumber = "207/0", Status = OperatorStatus.Active,
            },
        }).ResponseAsync;

    /// <summary>The column itself: the API answer alone would not show a value joined from the registry at read time.</summary>
    private async Task<string?> StoredRegisteredOfficeAsync(string applicationId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT registered_office_code FROM applications WHERE id = @id", new { id = Guid.Parse(applicationId) });
    }

    private async Task<IReadOnlyList<Application>> ListMineAsync() =>
        (await scenario.Applicants.ListApplicationsAsync(new ListApplicationsRequest
        {
            Envelope = server.CompanySigner().Sign(new ListApplicationsPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
            }),
        })).Applications;

    /// <summary>Every page of the officer's listing, as application ids.</summary>
    private async Task<IReadOnlyList<string>> ListOfficeAsync(ApplicationChannel channel)
    {
        var ids = new List<string>();
        var token = "";
        do
        {
            var page = await scenario.Officer.ListOfficeApplicationsAsync(
                new ListOfficeApplicationsRequest { PageSize = 500, PageToken = token, Channel = channel });
            ids.AddRange(page.Applications.Select(a => a.ApplicationId));
            token = page.NextPageToken;
        } while (token.Length > 0);
        return ids;
    }
}
