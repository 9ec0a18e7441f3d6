using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Microsoft.Extensions.DependencyInjection;
using Ra.Cli.Tests;
using Ra.Client.Signing;
using RaServer.Tests.Harness;
using RaServer.Trust;

namespace RaServer.Tests.Cli;

/// <summary>
/// The built `ra` as another government system: a message signed with a certificate the RA issued through its
/// API verifies as VALID from files, the certificate's status by serial, and exit 5 for a verdict other than VALID.
/// </summary>
public sealed class CliVerificationTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime, IDisposable
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — customs declaration"u8.ToArray();
    private readonly CliProfile profile = new(shared.Server);
    private X509Certificate2 broker = null!;

    public async Task InitializeAsync()
    {
        await shared.BeginTestAsync();
        broker = await shared.Scenario.IssueAsync(CertificateKind.Personal);
        await shared.Scenario.RegisterAsync(broker.SerialNumber);
        await shared.Server.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => profile.Dispose();

    [Fact]
    public async Task A_signed_message_from_files_verifies_as_valid_and_its_certificate_status_too()
    {
        var message = Path.Combine(profile.Folder, "declaration.txt");
        await File.WriteAllBytesAsync(message, Declaration);
        await File.WriteAllBytesAsync(message + ".p7s", DetachedCmsSigner.Sign(Declaration, broker, shared.Server.Clock.GetUtcNow()));

        var verify = await profile.RunAsync("verify", message, "--signature", message + ".p7s", "--firm", WorkflowScenario.FirmUbn);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Matches(@"(?m)^verdict:\s+VALID$", verify.Stdout);
        Assert.Matches($@"(?m)^evidence\.serial_hex:\s+{broker.SerialNumber.ToLowerInvariant()}$", verify.Stdout);
        Assert.Matches(@"(?m)^evidence\.holder\.person\.national_id:\s+A123456789$", verify.Stdout);

        var status = await profile.RunAsync("cert-status", broker.SerialNumber, "--firm", WorkflowScenario.FirmUbn);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"(?m)^verdict:\s+VALID$", status.Stdout);
        Assert.Matches(@"(?m)^evidence\.certificate_state:\s+ACTIVE$", status.Stdout);
    }

    [Fact]
    public async Task A_verdict_other_than_valid_is_exit_5()
    {
        var message = Path.Combine(profile.Folder, "declaration.txt");
        await File.WriteAllBytesAsync(message, [.. Declaration, 0x20]);
        await File.WriteAllBytesAsync(message + ".p7s", DetachedCmsSigner.Sign(Declaration, broker, shared.Server.Clock.GetUtcNow()));
        var tampered = await profile.RunAsync("verify", message, "--signature", message + ".p7s", "--firm", WorkflowScenario.FirmUbn);
        Assert.True(tampered.ExitCode == 5, tampered.ToString());
        Assert.Matches(@"(?m)^verdict:\s+SIGNATURE_INVALID$", tampered.Stdout);

        var unknown = await profile.RunAsync("cert-status", "0abc", "--firm", WorkflowScenario.FirmUbn, "--json");
        Assert.True(unknown.ExitCode == 5, unknown.ToString());
        Assert.Contains("\"verdict\": \"VERIFICATION_VERDICT_CERT_UNKNOWN\"", unknown.Stdout);
    }

    [Fact]
    public async Task A_malformed_firm_is_refused_as_one_line()
    {
        var run = await profile.RunAsync("cert-status", broker.SerialNumber, "--firm", "123");
        RaProcess.AssertFailsWithOneLine(run, 1, $"refused by {profile.Address}: INVALID_ARGUMENT UBN_INVALID");
    }
}
