using Customs.Ra.V1;
using Grpc.Core;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>Online and paper submission of every service type and kind, eligibility refusals, and idempotency.</summary>
/// <remarks>
/// One server for the class: each test files its own applications and counts only the rows since it began; the
/// listing test, which sees every application, starts its own.
/// </remarks>
public sealed class SubmissionTests(PostgresFixture postgres, SharedRaServer shared)
    : IClassFixture<PostgresFixture>, IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;
    private readonly WorkflowScenario scenario = shared.Scenario;

    public Task InitializeAsync() => shared.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<ServiceType, CertificateKind, ApplicationState> EveryServiceAndKind => new()
    {
        { ServiceType.New, CertificateKind.Personal, ApplicationState.AwaitingPayment },
        { ServiceType.New, CertificateKind.Organization, ApplicationState.AwaitingPayment },
        { ServiceType.Renew, CertificateKind.Personal, ApplicationState.AwaitingPayment },
        { ServiceType.Renew, CertificateKind.Organization, ApplicationState.AwaitingPayment },
        { ServiceType.Revoke, CertificateKind.Personal, ApplicationState.Forwarded },
        { ServiceType.Revoke, CertificateKind.Organization, ApplicationState.Forwarded },
        { ServiceType.Suspend, CertificateKind.Personal, ApplicationState.Forwarded },
        { ServiceType.Suspend, CertificateKind.Organization, ApplicationState.Forwarded },
        { ServiceType.Unsuspend, CertificateKind.Personal, ApplicationState.Forwarded },
        { ServiceType.Unsuspend, CertificateKind.Organization, ApplicationState.Forwarded },
    };

    private async Task<ApplicationContent> ContentForAsync(ServiceType service, CertificateKind kind)
    {
        if (service == ServiceType.New)
            return WorkflowScenario.Content(service, kind);
        var serial = await scenario.SeedCertificateAsync(kind, state: service == ServiceType.Unsuspend ? "SUSPENDED" : "ACTIVE");
        return WorkflowScenario.Content(service, kind, serial);
    }

    [Theory, MemberData(nameof(EveryServiceAndKind))]
    public async Task An_online_application_goes_as_far_as_it_can_at_once(ServiceType service, CertificateKind kind, ApplicationState expected)
    {
        var application = await scenario.SubmitAsync(await ContentForAsync(service, kind));

        Assert.Equal(expected, application.State);
        Assert.Equal(ApplicationChannel.Online, application.Channel);
        if (expected == ApplicationState.AwaitingPayment)
        {
            Assert.Equal(PaymentSlipStatus.Issued, application.PaymentSlip.Status);
            Assert.Equal(14, (application.PaymentSlip.DueAt.ToDateTimeOffset() - application.PaymentSlip.IssuedAt.ToDateTimeOffset()).TotalDays);
            Assert.Equal(1, await scenario.MailCountAsync("PAYMENT_SLIP_ISSUED"));
        }
        else
        {
            Assert.Null(application.PaymentSlip);
            Assert.Equal(1, await server.CountAsync("ca_requests"));
        }
    }

    [Theory, MemberData(nameof(EveryServiceAndKind))]
    public async Task A_paper_application_follows_the_same_workflow_and_its_office_can_print_the_slip(
        ServiceType service, CertificateKind kind, ApplicationState expected)
    {
        var application = await scenario.IntakePaperAsync(await ContentForAsync(service, kind));

        Assert.True(expected == application.State, $"{application.State}: {string.Join(", ", application.RejectionReasons.Select(r => r.Code + " " + r.Text))}");
        Assert.Equal(ApplicationChannel.Paper, application.Channel);
        Assert.Equal("AA", application.PaperIntake.ReceivingOfficeCode);
        if (expected == ApplicationState.AwaitingPayment)
        {
            var printed = await scenario.Officer.PrintPaymentSlipAsync(new PrintPaymentSlipRequest { ApplicationId = application.ApplicationId });
            Assert.Equal(application.PaymentSlip.SlipNumber, printed.PaymentSlip.SlipNumber);
        }
    }

    [Fact]
    public async Task An_ineligible_online_application_is_rejected_with_every_reason_and_the_applicant_is_told()
    {
        await scenario.LoadRegistryAsync(mandateEnd: server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd"));
        var content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal);
        content.Personal.Name = "別人";

        var application = await scenario.SubmitAsync(content);

        Assert.Equal(ApplicationState.Rejected, application.State);
        Assert.Equal(["SUBJECT_NAME_MISMATCH", "MANDATE_NOT_ACTIVE"], application.RejectionReasons.Select(r => r.Code));
        Assert.All(application.RejectionReasons, r => Assert.False(string.IsNullOrEmpty(r.Text)));
        Assert.Equal(1, await scenario.MailCountAsync("APPLICATION_REJECTED"));
        Assert.Equal(0, await server.CountAsync("payment_slips"));
    }

    [Fact]
    public async Task A_second_open_application_for_the_same_certificate_is_rejected()
    {
        var serial = await scenario.SeedCertificateAsync(CertificateKind.Organization);
        var first = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization, serial));
        var second = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Revoke, CertificateKind.Organization, serial));
        Assert.Equal(ApplicationState.Forwarded, first.State);
        Assert.Equal(["OPEN_APPLICATION_EXISTS"], second.RejectionReasons.Select(r => r.Code));
    }

    [Fact]
    public async Task Invalid_content_is_refused_with_field_violations_and_nothing_is_stored()
    {
        var content = WorkflowScenario.Content(ServiceType.Revoke, CertificateKind.Personal);
        content.Personal.FirmUbn = "12345678";
        content.NoticeEmail = "not an address";
        content.RevocationReason = RevocationReason.Unspecified;

        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "APPLICATION_INVALID",
            () => scenario.SubmitAsync(content));

        Assert.Equal(
            ["content.personal.firm_ubn", "content.notice_email", "content.certificate_serial_hex", "content.revocation_reason"],
            RpcAssert.ViolatedFields(e));
        Assert.Equal(0, await server.CountAsync("applications"));
        Assert.Equal(0, await server.CountAsync("signed_requests"));
    }

    [Fact]
    public async Task The_same_signed_submission_sent_again_returns_the_same_application_never_a_second_one()
    {
        var envelope = scenario.SignSubmission(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            scenario.Applicants.SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = envelope }).ResponseAsync));

        Assert.Single(answers.Select(a => a.Application.ApplicationId).Distinct());
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(1, await server.CountAsync("applications"));
        Assert.Equal(1, await server.CountAsync("payment_slips"));
    }

    [Fact]
    public async Task The_same_request_id_with_other_bytes_is_refused_and_audited()
    {
        var requestId = Guid.NewGuid().ToString("D");
        await scenario.Applicants.SubmitApplicationAsync(new SubmitApplicationRequest
        {
            Envelope = scenario.SignSubmission(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization), requestId),
        });

        var other = scenario.SignSubmission(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal), requestId);
        await RpcAssert.RefusedAsync(StatusCode.AlreadyExists, "REQUEST_ID_REUSED", async () =>
            await scenario.Applicants.SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = other }));

        Assert.Equal(1, await server.CountAsync("applications"));
        Assert.Equal(["REQUEST_ID_REUSED"], await server.RefusalReasonsAsync());
    }

    [Fact]
    public async Task A_paper_intake_repeated_with_its_request_id_returns_the_same_application()
    {
        var requestId = Guid.NewGuid().ToString("D");
        var content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal);
        var first = await scenario.IntakePaperAsync(content, requestId);
        var again = await scenario.IntakePaperAsync(content, requestId);
        Assert.Equal(first.ApplicationId, again.ApplicationId);
        Assert.Equal(1, await server.CountAsync("applications"));
    }

    [Fact]
    public async Task A_paper_intake_without_checked_seals_is_refused()
    {
        var request = new IntakePaperApplicationRequest
        {
            RequestId = Guid.NewGuid().ToString("D"), ReceivingOfficeCode = "AA", ClerkId = "clerk-007", SealsChecked = false,
            Applicant = new Applicant { Organization = new OrganizationIdentity { Ubn = WorkflowScenario.FirmUbn, Name = WorkflowScenario.FirmName } },
            Content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization),
        };
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "SEALS_NOT_CHECKED",
            async () => await scenario.Officer.IntakePaperApplicationAsync(request));
        Assert.Equal(["seals_checked"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task The_receiving_office_rejects_a_paper_application_with_reasons_and_its_slip_becomes_void()
    {
        var application = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var rejected = (await scenario.Officer.RejectApplicationAsync(new RejectApplicationRequest
        {
            ApplicationId = application.ApplicationId,
            ClerkId = "clerk-007",
            Reasons = { new RejectionReason { Code = "SEAL_MISMATCH", Text = "公司大小章與登記不符 / the seals do not match the registration" } },
        })).Application;

        Assert.Equal(ApplicationState.Rejected, rejected.State);
        Assert.Equal("SEAL_MISMATCH", rejected.RejectionReasons.Single().Code);
        Assert.Equal(PaymentSlipStatus.Void, rejected.PaymentSlip.Status);
        Assert.Equal(1, await scenario.MailCountAsync("APPLICATION_REJECTED"));

        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "APPLICATION_NOT_REJECTABLE", async () =>
            await scenario.Officer.RejectApplicationAsync(new RejectApplicationRequest
            {
                ApplicationId = application.ApplicationId, Reasons = { new RejectionReason { Code = "AGAIN", Text = "again" } },
            }));
    }

    [Fact]
    public async Task An_office_cannot_reject_an_online_application()
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await RpcAssert.RefusedAsync(StatusCode.NotFound, "APPLICATION_NOT_FOUND", async () =>
            await scenario.Officer.RejectApplicationAsync(new RejectApplicationRequest
            {
                ApplicationId = application.ApplicationId, Reasons = { new RejectionReason { Code = "X", Text = "x" } },
            }));
    }

    [Fact]
    public async Task The_office_and_the_applicant_page_through_their_applications_newest_first()
    {
        await using var server = await RaServerHarness.StartAsync(postgres); // an empty one: the listing shows everything
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var paper = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            paper.Add((await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization))).ApplicationId);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var online = (await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal))).ApplicationId;

        var first = await scenario.Officer.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest { PageSize = 2 });
        var second = await scenario.Officer.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest { PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal([paper[2], paper[1], paper[0]], first.Applications.Concat(second.Applications).Select(a => a.ApplicationId));
        Assert.Equal("", second.NextPageToken);

        var mine = await scenario.Applicants.ListApplicationsAsync(new ListApplicationsRequest
        {
            Envelope = server.CompanySigner().Sign(new ListApplicationsPayload
            {
                Header = Ra.Client.Signing.RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                State = ApplicationState.AwaitingPayment,
            }),
        });
        Assert.Equal([online, paper[2], paper[1], paper[0]], mine.Applications.Select(a => a.ApplicationId));

        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", async () =>
            await scenario.Officer.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest { PageToken = "garbage!" }));
    }
}
