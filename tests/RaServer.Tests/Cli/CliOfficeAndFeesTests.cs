using System.Text.Json;
using Customs.Ra.V1;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Cli;

/// <summary>
/// The built `ra` as a customs office clerk and as the fee system: a paper application entered, listed and its
/// slip printed, and a real slip paid so the application awaits the applicant's key.
/// </summary>
public sealed class CliOfficeAndFeesTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime, IDisposable
{
    private readonly CliProfile profile = new(shared.Server);

    public async Task InitializeAsync() => await shared.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => profile.Dispose();

    [Fact]
    public async Task A_clerk_enters_a_paper_application_lists_it_and_prints_its_slip()
    {
        var intake = await profile.RunAsync("office", "intake", "--ubn", WorkflowScenario.FirmUbn, "--name", WorkflowScenario.FirmName,
            "--service", "new", "--kind", "organization", "--email", "office@example.test", "--seals-checked", "--json");
        Assert.True(intake.ExitCode == 0, intake.ToString());
        using var document = JsonDocument.Parse(intake.Stdout);
        var application = document.RootElement.GetProperty("application");
        var id = application.GetProperty("applicationId").GetString()!;
        Assert.Equal("APPLICATION_STATE_AWAITING_PAYMENT", application.GetProperty("state").GetString());
        Assert.Equal(global::DevTools.DevProfile.ClerkId, application.GetProperty("paperIntake").GetProperty("clerkId").GetString());
        var slip = application.GetProperty("paymentSlip").GetProperty("slipNumber").GetString()!;

        var list = await profile.RunAsync("office", "list", "--state", "awaiting-payment");
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^APPLICATION\s+STATE\s+CHANNEL\s+SERVICE\s+KIND\s+APPLICANT\s+CREATED$", lines[0]);
        Assert.True(lines.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            $@"^{id}\s+AWAITING_PAYMENT\s+PAPER\s+NEW\s+ORGANIZATION\s+{WorkflowScenario.FirmUbn}\s+\d{{4}}-")), list.Stdout);

        var print = await profile.RunAsync("office", "print-slip", id);
        Assert.True(print.ExitCode == 0, print.ToString());
        Assert.Matches($@"(?m)^payment_slip\.slip_number:\s+{slip}$", print.Stdout);
        Assert.Matches(@"(?m)^payment_slip\.status:\s+ISSUED$", print.Stdout);
    }

    [Fact]
    public async Task The_fee_system_confirms_a_real_slip_and_the_application_awaits_the_key()
    {
        var application = await shared.Scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        var slip = application.PaymentSlip;

        var run = await profile.RunAsync("fees", "confirm", slip.SlipNumber, "--amount", slip.AmountNtd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--receipt", $"RCPT-{Guid.NewGuid():N}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"(?m)^payment_slip\.status:\s+PAID$", run.Stdout);
        Assert.Matches(@"(?m)^application\.state:\s+AWAITING_KEY$", run.Stdout);
        Assert.Equal(ApplicationState.AwaitingKey, (await shared.Scenario.GetAsync(application.ApplicationId)).State);
    }

    [Fact]
    public async Task A_wrong_amount_is_refused_with_its_reason()
    {
        var application = await shared.Scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var run = await profile.RunAsync("fees", "confirm", application.PaymentSlip.SlipNumber, "--amount", "1", "--receipt", "RCPT-WRONG");
        Ra.Cli.Tests.RaProcess.AssertFailsWithOneLine(run, 1, $"refused by {profile.Address}: FAILED_PRECONDITION AMOUNT_MISMATCH");
        Assert.Equal(ApplicationState.AwaitingPayment, (await shared.Scenario.GetAsync(application.ApplicationId)).State);
    }
}
