using Customs.Ra.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>Payment slips, their confirmation by the fee system, and the 14-day deadline, without sleeping.</summary>
/// <remarks>
/// A server per test (they move its clock by weeks); one SMTP server for the class, which only the sweeper test reads,
/// picking its notices by kind.
/// </remarks>
public sealed class PaymentTests(PostgresFixture postgres, SmtpServerFixture smtp)
    : IClassFixture<PostgresFixture>, IClassFixture<SmtpServerFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;

    public async Task InitializeAsync()
    {
        await smtp.StartAsync();
        server = await RaServerHarness.StartAsync(postgres, smtp: smtp);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Task<Application> NewApplicationAsync() =>
        scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));

    private PaymentSweeper Sweeper => server.Services.GetRequiredService<PaymentSweeper>();

    [Fact]
    public async Task A_payment_on_time_moves_the_application_to_awaiting_key_and_the_applicant_is_emailed()
    {
        var application = await NewApplicationAsync();
        server.Clock.Advance(TimeSpan.FromDays(13));

        var paid = await scenario.PayAsync(application.PaymentSlip);

        Assert.Equal(PaymentSlipStatus.Paid, paid.PaymentSlip.Status);
        Assert.Equal(ApplicationState.AwaitingKey, paid.Application.State);
        Assert.Equal(ApplicationState.AwaitingKey, (await scenario.GetAsync(application.ApplicationId)).State);
        Assert.Equal(1, await scenario.MailCountAsync("PAYMENT_RECEIVED"));
    }

    [Fact]
    public async Task The_same_confirmation_sent_twice_is_answered_the_same_and_changes_nothing_more()
    {
        var application = await NewApplicationAsync();
        var first = await scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-1");
        var again = await scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-1");

        Assert.Equal(first.PaymentSlip, again.PaymentSlip);
        Assert.Equal(ApplicationState.AwaitingKey, again.Application.State);
        Assert.Equal(1, await scenario.MailCountAsync("PAYMENT_RECEIVED"));
    }

    [Fact]
    public async Task A_receipt_reused_for_another_amount_or_slip_is_refused_and_changes_nothing()
    {
        var application = await NewApplicationAsync();
        var other = await NewApplicationAsync();
        var paid = await scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-R");

        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "RECEIPT_REFERENCE_REUSED",
            () => scenario.PayAsync(application.PaymentSlip, amount: application.PaymentSlip.AmountNtd + 1, receipt: "RCPT-R"));
        Assert.Equal(["receipt_reference"], RpcAssert.ViolatedFields(e));
        await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "RECEIPT_REFERENCE_REUSED",
            () => scenario.PayAsync(other.PaymentSlip, receipt: "RCPT-R"));

        Assert.Equal(ApplicationState.AwaitingPayment, (await scenario.GetAsync(other.ApplicationId)).State);
        Assert.Equal(paid.PaymentSlip, (await scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-R")).PaymentSlip);
    }

    [Fact]
    public async Task A_second_payment_of_a_paid_slip_with_another_receipt_is_refused()
    {
        var application = await NewApplicationAsync();
        await scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-1");
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "SLIP_ALREADY_PAID",
            () => scenario.PayAsync(application.PaymentSlip, receipt: "RCPT-2"));
    }

    [Fact]
    public async Task A_payment_made_after_the_due_time_is_refused()
    {
        var application = await NewApplicationAsync();
        server.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        var e = await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "PAYMENT_LATE",
            () => scenario.PayAsync(application.PaymentSlip));
        Assert.Equal(["paid_at"], RpcAssert.ViolatedFields(e));
        Assert.Equal(ApplicationState.AwaitingPayment, (await scenario.GetAsync(application.ApplicationId)).State);
    }

    [Fact]
    public async Task A_payment_of_the_wrong_amount_is_refused()
    {
        var application = await NewApplicationAsync();
        var e = await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "AMOUNT_MISMATCH",
            () => scenario.PayAsync(application.PaymentSlip, amount: application.PaymentSlip.AmountNtd - 1));
        Assert.Equal(["amount_ntd"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task An_unknown_slip_and_a_mistyped_slip_number_are_refused_differently()
    {
        var unknown = new PaymentSlip { SlipNumber = RaServer.Policy.SlipNumbers.Create(server.Clock.GetUtcNow(), 99_999_999), AmountNtd = 600 };
        await RpcAssert.RefusedAsync(StatusCode.NotFound, "SLIP_UNKNOWN", () => scenario.PayAsync(unknown));

        var application = await NewApplicationAsync();
        var typo = application.PaymentSlip.Clone();
        typo.SlipNumber = typo.SlipNumber[..^1] + (char)('0' + (typo.SlipNumber[^1] - '0' + 1) % 10);
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "PAYMENT_INVALID", () => scenario.PayAsync(typo));
        Assert.Equal(["slip_number"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task On_day_fifteen_the_sweeper_voids_the_slip_cancels_the_application_and_the_applicant_receives_the_email()
    {
        var application = await NewApplicationAsync();

        server.Clock.Advance(TimeSpan.FromDays(13));
        Assert.Equal(0, await Sweeper.RunOnceAsync(CancellationToken.None));

        server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await Sweeper.RunOnceAsync(CancellationToken.None));
        var cancelled = await scenario.GetAsync(application.ApplicationId);
        Assert.Equal(ApplicationState.Cancelled, cancelled.State);
        Assert.Equal(PaymentSlipStatus.Void, cancelled.PaymentSlip.Status);

        // A payment dated before the due time but arriving now finds the slip void.
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "SLIP_VOID",
            () => scenario.PayAsync(application.PaymentSlip, paidAt: application.PaymentSlip.DueAt.ToDateTimeOffset().AddHours(-1)));

        await server.Services.GetRequiredService<MailSender>().RunOnceAsync(CancellationToken.None);
        var delivered = smtp.DeliveredMessages();
        var notice = Assert.Single(delivered, m => m.Headers["X-RA-Notice-Kind"] == "CANCELLED_FOR_NON_PAYMENT");
        Assert.Equal("broker-office@example.test", notice.To.Mailboxes.Single().Address);
        Assert.Contains(application.PaymentSlip.SlipNumber, notice.TextBody);
        Assert.Contains(delivered, m => m.Headers["X-RA-Notice-Kind"] == "PAYMENT_SLIP_ISSUED");
    }

    [Fact]
    public async Task A_confirmation_racing_the_sweeper_ends_in_exactly_one_outcome_for_every_slip()
    {
        var applications = new List<Application>();
        for (var i = 0; i < 12; i++)
        {
            var content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization);
            applications.Add(await scenario.SubmitAsync(content));
        }
        server.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1));

        // Every payment is dated in time, but arrives as the sweeper runs.
        var payments = applications.Select(a => Outcome(() => scenario.PayAsync(a.PaymentSlip, paidAt: a.PaymentSlip.DueAt.ToDateTimeOffset().AddMinutes(-5)))).ToList();
        var sweeps = Enumerable.Range(0, 3).Select(_ => Sweeper.RunOnceAsync(CancellationToken.None)).ToList();
        var results = await Task.WhenAll(payments);
        var swept = (await Task.WhenAll(sweeps)).Sum();

        for (var i = 0; i < applications.Count; i++)
        {
            var final = await scenario.GetAsync(applications[i].ApplicationId);
            if (results[i] == "PAID")
                Assert.Equal((ApplicationState.AwaitingKey, PaymentSlipStatus.Paid), (final.State, final.PaymentSlip.Status));
            else
                Assert.Equal(("SLIP_VOID", ApplicationState.Cancelled, PaymentSlipStatus.Void), (results[i], final.State, final.PaymentSlip.Status));
        }
        Assert.Equal(results.Count(r => r == "SLIP_VOID"), swept);
    }

    private static async Task<string> Outcome(Func<Task<ConfirmPaymentResponse>> pay)
    {
        try
        {
            await pay();
            return "PAID";
        }
        catch (RpcException e)
        {
            return RpcAssert.ReasonOf(e) ?? e.StatusCode.ToString();
        }
    }
}
