using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Calls;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Sdk;

/// <summary>
/// The C# SDK's typed clients against the real server: each caller's client makes a real call, a lost answer is
/// retried with the same signed envelope and answered once, Watch resumes across a cut stream without missing or
/// repeating an event, lists follow their pages, and a refusal is one exception with its reason and field problems.
/// </summary>
public sealed class SdkClientTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly CallPolicy QuickPolicy = new() { FirstPause = TimeSpan.FromMilliseconds(20), MaxAttempts = 4 };
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private AnswerLosingHandler network = null!;
    private ApplicantClient applicant = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        network = new AnswerLosingHandler(new SocketsHttpHandler
        {
            // The harness's own server on 127.0.0.1; what TLS proves is tested elsewhere (RaChannel, CallerAuthorizationTests).
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = network });
        applicant = new ApplicantClient(new RaConnection(channel, server.Address, QuickPolicy),
            Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12), ApplicantClient.Organization(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName), server.Clock);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private RaConnection SystemConnection(string role) => new(server.Channel(RaServerHarness.Client(role)), server.Address, QuickPolicy);

    private async Task<int> ApplicationCountAsync() => await applicant.ListApplicationsAsync().CountAsync();

    [Fact]
    public async Task A_submission_whose_answer_was_lost_is_sent_again_and_answered_once_with_the_same_application()
    {
        var before = await ApplicationCountAsync();
        network.LoseNextAnswers(2);
        var sentBefore = network.RequestsSent;

        var application = await applicant.SubmitApplicationAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));

        Assert.Equal(3, network.RequestsSent - sentBefore);
        Assert.Equal(ApplicationState.AwaitingPayment, application.State);
        Assert.Equal(before + 1, await ApplicationCountAsync());
        Assert.Equal(application.ApplicationId, (await applicant.GetApplicationAsync(application.ApplicationId)).ApplicationId);
    }

    [Fact]
    public async Task A_refusal_is_one_exception_with_its_declared_reason_and_field_problems_and_is_not_retried()
    {
        var sentBefore = network.RequestsSent;

        var refusal = await Assert.ThrowsAsync<RaRefusedException>(() => applicant.GetApplicationAsync("not-an-application-id"));

        Assert.Equal(1, network.RequestsSent - sentBefore);
        Assert.Equal(StatusCode.InvalidArgument, refusal.Status);
        DeclaredReasons.AssertDeclared(refusal.Reason);
        Assert.NotEqual("", refusal.Reason);
        Assert.Contains(refusal.FieldProblems, p => p.Field == "application_id");
        Assert.Equal(server.Address, refusal.Address);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unreachable_after_the_policys_attempts()
    {
        var port = global::DevTools.FreePorts.AskOs();
        var closed = new Uri($"https://127.0.0.1:{port}");
        using var connection = RaConnection.Open(closed, policy: QuickPolicy);

        var unreachable = await Assert.ThrowsAsync<RaUnreachableException>(() =>
            new ApplicantClient(connection, Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12),
                ApplicantClient.Organization(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName)).GetRaInfoAsync());

        Assert.Equal(QuickPolicy.MaxAttempts, unreachable.Attempts);
        Assert.Equal(closed, unreachable.Address);
    }

    [Fact]
    public async Task Lists_follow_their_pages_to_the_end()
    {
        for (var i = 0; i < 5; i++)
            await applicant.SubmitApplicationAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var sentBefore = network.RequestsSent;

        var all = await applicant.ListApplicationsAsync(pageSize: 2).ToListAsync();

        Assert.True(all.Count >= 5);
        Assert.Equal(all.Count, all.Select(a => a.ApplicationId).Distinct().Count());
        Assert.Equal((all.Count + 1) / 2 + (all.Count % 2 == 0 ? 1 : 0), network.RequestsSent - sentBefore);
    }

    [Fact]
    public async Task Watch_resumes_after_a_cut_stream_and_sees_every_event_once_in_order()
    {
        var application = await applicant.SubmitApplicationAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var fees = new FeesClient(SystemConnection("fees"));
        await fees.ConfirmPaymentAsync(new ConfirmPaymentRequest
        {
            SlipNumber = application.PaymentSlip.SlipNumber, AmountNtd = application.PaymentSlip.AmountNtd,
            PaidAt = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow()), ReceiptReference = $"RCPT-{Guid.NewGuid():N}",
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await applicant.SubmitCsrAsync(application.ApplicationId, new CertificateRequest("CN=applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest());
        await server.Services.GetRequiredService<RaServer.Workers.CaRequestDispatcher>().RunOnceAsync(CancellationToken.None);
        var stored = await applicant.WatchApplicationAsync(application.ApplicationId).ToListAsync();
        Assert.True(stored.Count >= 4, $"{stored.Count} events");

        network.CutNextStreamAfterFirstMessage();
        var sentBefore = network.RequestsSent;
        var watched = await applicant.WatchApplicationAsync(application.ApplicationId).ToListAsync();

        Assert.Equal(2, network.RequestsSent - sentBefore); // the cut stream and the one that resumed
        Assert.Equal(stored.Select(e => e.Sequence), watched.Select(e => e.Sequence));
        Assert.Equal(ApplicationState.Completed, watched[^1].ToState);
    }

    [Fact]
    public async Task A_call_that_cannot_be_repeated_is_sent_once_and_a_lost_answer_is_an_unknown_outcome()
    {
        var officerNetwork = new AnswerLosingHandler(new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = [Ra.DevPki.DevPki.LoadP12(server.Pki.ClientP12(RaServerHarness.Client("officer")))],
            },
        });
        var office = new OfficeClient(new RaConnection(
            GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = officerNetwork }), server.Address, QuickPolicy));
        var today = server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        officerNetwork.LoseNextAnswers(1);

        var lost = await Assert.ThrowsAsync<RaUnreachableException>(() => office.EndMandateAsync(new EndMandateRequest
        {
            NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today, ClerkId = "clerk-007",
        }));

        Assert.True(lost.OutcomeUnknown);
        Assert.Equal(1, officerNetwork.RequestsSent);
        // It was carried out: sending it again is refused, which is why the SDK did not.
        var again = await Assert.ThrowsAsync<RaRefusedException>(() => office.EndMandateAsync(new EndMandateRequest
        {
            NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today, ClerkId = "clerk-007",
        }));
        Assert.Equal("NO_OPEN_MANDATE", again.Reason);
    }

    [Fact]
    public async Task Each_system_callers_client_makes_its_call()
    {
        var registry = new RegistryClient(SystemConnection("registry"));
        await registry.UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = WorkflowScenario.SecondFirmUbn, Name = WorkflowScenario.SecondFirmName, Kind = OperatorKind.CustomsBroker,
                CustomsOfficeCode = "AA", BoxNumber = "301/0", Status = OperatorStatus.Active,
            },
        });
        var office = new OfficeClient(SystemConnection("officer"));
        var intake = await office.IntakePaperApplicationAsync(new IntakePaperApplicationRequest
        {
            ReceivingOfficeCode = "AA", ClerkId = "clerk-007", SealsChecked = true,
            Applicant = new Applicant { Organization = new OrganizationIdentity { Ubn = WorkflowScenario.SecondFirmUbn, Name = WorkflowScenario.SecondFirmName } },
            Content = new ApplicationContent
            {
                ServiceType = ServiceType.New, Kind = CertificateKind.Organization, NoticeEmail = "second@example.test",
                Organization = new OrganizationSubject { Ubn = WorkflowScenario.SecondFirmUbn, Name = WorkflowScenario.SecondFirmName },
            },
        });
        Assert.Contains(await office.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest { PageSize = 1 }).ToListAsync(),
            a => a.ApplicationId == intake.Application.ApplicationId);
        var slip = await office.PrintPaymentSlipAsync(new PrintPaymentSlipRequest { ApplicationId = intake.Application.ApplicationId });
        var paid = await new FeesClient(SystemConnection("fees")).ConfirmPaymentAsync(new ConfirmPaymentRequest
        {
            SlipNumber = slip.PaymentSlip.SlipNumber, AmountNtd = slip.PaymentSlip.AmountNtd,
            PaidAt = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow()), ReceiptReference = $"RCPT-{Guid.NewGuid():N}",
        });
        Assert.Equal(ApplicationState.AwaitingKey, paid.Application.State);

        var unknown = await new VerifierClient(SystemConnection("verifier"))
            .GetCertificateStatusAsync(new GetCertificateStatusRequest { SerialHex = "0123456789abcdef", FirmUbn = WorkflowScenario.FirmUbn });
        Assert.Equal(VerificationVerdict.CertUnknown, unknown.Verdict);
    }
}
