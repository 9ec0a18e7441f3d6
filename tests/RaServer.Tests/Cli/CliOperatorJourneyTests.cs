using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Customs.Ra.V1;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ra.Cli.Tests;
using Ra.Client.Signing;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Cli;

/// <summary>
/// The built `ra` as an operator and a broker, from the first application to a broker's transfer, against a server
/// whose CA dispatcher runs in the background as in production (so an application completes by itself while `ra`
/// watches it). Every certificate is checked in its folder: the PKCS#12 opens with openssl and holds the certificate
/// DownloadCertificate returns and the key that made the CSR; the plug-in file points where it should, byte for byte.
/// </summary>
public sealed partial class CliOperatorJourneyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string KeyPassword = "operator key pw";
    private const string OtherPluginLines = "# 業者即用系統 plug-in\r\nserver.url=https://sw.example.test\r\ncert.path=\r\nkeystore.path=\r\nlog.level=INFO\r\n";

    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private CliProfile profile = null!;
    private string keyPasswordFile = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres, configure: settings =>
        {
            settings["CaDispatch:Concurrency"] = "1";
            // A certificate issued a moment ago may be renewed at once: the journey cannot wait years.
            settings["Eligibility:RenewWindowDays"] = "3650";
        });
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        profile = new CliProfile(server);
        keyPasswordFile = Path.Combine(profile.Folder, "key-password.txt");
        await File.WriteAllTextAsync(keyPasswordFile, KeyPassword + "\n");
    }

    public async Task DisposeAsync()
    {
        profile.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Enroll_waits_for_the_fee_system_and_installs_a_registered_organisation_certificate_that_verifies()
    {
        var dir = Folder("org");
        var plugin = PluginFile("org.conf");

        var known = await IssuedSlipsAsync();
        var enroll = RunAsync("enroll", "--dir", dir, "--plugin-file", plugin, "--wait", "--key-password-file", keyPasswordFile);
        var slip = await OpenSlipAsync(known);
        var paid = await RunAsync("fees", "confirm", slip.Number, "--amount", slip.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--receipt", $"RCPT-{Guid.NewGuid():N}");
        Assert.True(paid.ExitCode == 0, paid.ToString());
        var run = await enroll;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("通關專屬憑證申請繳費單", run.Stdout);
        Assert.Contains($"繳費單號：{slip.Number}", run.Stdout);
        Assert.Contains("申請項目：通關專屬法人憑證　新申請", run.Stdout);
        Assert.Contains("AWAITING_PAYMENT", run.Stderr);
        Assert.Contains("COMPLETED", run.Stderr);
        var applicationId = Regex.Match(run.Stdout, @"application: ([0-9a-f-]{36})").Groups[1].Value;
        var serial = await CheckFolderAsync(dir, applicationId);
        Assert.Equal(OtherPluginLines.Replace("cert.path=", $"cert.path={dir}/cert.pem").Replace("keystore.path=", $"keystore.path={dir}/keystore.p12"),
            await File.ReadAllTextAsync(plugin));
        Assert.True(File.Exists($"{dir}-{serial}.p12"), run.Stdout);
        OpensWithOpenssl($"{dir}-{serial}.p12", await DownloadedAsync(applicationId));

        var certs = await RunAsync("certs");
        Assert.True(certs.ExitCode == 0, certs.ToString());
        Assert.Matches($@"(?m)^{serial}\s+ORGANIZATION\s+ACTIVE\s+.*{WorkflowScenario.FirmUbn}\s+{WorkflowScenario.FirmUbn}\s", certs.Stdout);

        // The verifier's verdict on a message signed with the installed key store.
        var verify = await VerifyAsync(Path.Combine(dir, "keystore.p12"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Matches(@"(?m)^verdict:\s+VALID$", verify.Stdout);
    }

    [Fact]
    public async Task A_broker_enrolled_without_waiting_resumes_after_payment_and_transfers_to_a_second_firm_from_the_backup()
    {
        var dir = Folder("broker");
        var plugin = PluginFile("broker.conf");
        var first = await RunAsync("enroll", "--personal", "--broker-id", WorkflowScenario.BrokerId, "--broker-name", WorkflowScenario.BrokerName,
            "--dir", dir, "--plugin-file", plugin, "--key-password-file", keyPasswordFile);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("申請項目：通關專屬個人憑證　新申請", first.Stdout);
        var resume = Regex.Match(first.Stdout, @"carry on with: (ra enroll --resume ([0-9a-f-]{36}) .*)$", RegexOptions.Multiline);
        Assert.True(resume.Success, first.Stdout);
        var applicationId = resume.Groups[2].Value;
        Assert.False(File.Exists(Path.Combine(dir, "key.pending.pem")), "no key before the payment");

        var pdf = Path.Combine(profile.Folder, "broker-slip.pdf");
        var slipRun = await RunAsync("slip", applicationId, "--pdf", pdf);
        Assert.True(slipRun.ExitCode == 0, slipRun.ToString());
        Assert.Contains("繳費狀態：待繳費", slipRun.Stdout);
        AssertPdf(pdf);

        await scenario.PayAsync((await scenario.GetAsync(applicationId)).PaymentSlip);
        var resumed = await RunAsync([.. resume.Groups[1].Value.Split(' ').Skip(1), "--key-password-file", keyPasswordFile]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var serial = await CheckFolderAsync(dir, applicationId);
        var backup = $"{dir}-{serial}.p12";

        // The transfer: the registry adds the new firm and the mandate (a CSV import), the clerk ends the old one.
        var csv = Path.Combine(profile.Folder, "transfer.csv");
        await File.WriteAllTextAsync(csv, $"""
            operator,{WorkflowScenario.SecondFirmUbn},"{WorkflowScenario.SecondFirmName}",customs-broker,CA,301/0,active
            mandate,{WorkflowScenario.BrokerId},{WorkflowScenario.SecondFirmUbn},2025-06-01,
            """);
        var import = await RunAsync("registry", "import", csv);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("ACCEPTED", await File.ReadAllTextAsync(Path.Combine(profile.Folder, "transfer.results.csv")));
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var ended = await RunAsync("office", "end-mandate", WorkflowScenario.BrokerId, WorkflowScenario.FirmUbn, "--end", today);
        Assert.True(ended.ExitCode == 0, ended.ToString());

        var uninstall = await RunAsync("uninstall", "--plugin-file", plugin, "--delete-files", "--dir", dir);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(OtherPluginLines, await File.ReadAllTextAsync(plugin));
        Assert.False(Directory.Exists(dir), "the old firm's folder is gone");

        var newDir = Folder("broker-at-second-firm");
        var newPlugin = PluginFile("second-firm.conf");
        var install = await RunAsync("install", "--dir", newDir, "--plugin-file", newPlugin, "--from-backup", backup, "--key-password-file", keyPasswordFile);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains($"cert.path={newDir}/cert.pem\r\n", await File.ReadAllTextAsync(newPlugin));
        var downloaded = await DownloadedAsync(applicationId);
        OpensWithOpenssl(Path.Combine(newDir, "keystore.p12"), downloaded);
        Assert.Equal(PublicKeyOf(backup), PublicKeyOf(Path.Combine(newDir, "keystore.p12")));

        // The broker registers it himself at the new firm, signing with his own (MOICA) certificate.
        var register = await RunAsync("register", serial, "--firm", WorkflowScenario.SecondFirmUbn,
            "--identity", server.Pki.BrokerP12, "--national-id", WorkflowScenario.BrokerId, "--name", WorkflowScenario.BrokerName);
        Assert.True(register.ExitCode == 0, register.ToString());
        Assert.Matches($@"(?m)^registered_firm_ubn:\s+{WorkflowScenario.SecondFirmUbn}$", register.Stdout);
    }

    [Fact]
    public async Task Renew_into_the_same_folder_leaves_the_plugin_file_alone_and_into_another_points_it_there()
    {
        var dir = Folder("renewed");
        var plugin = PluginFile("renewed.conf");
        var (_, serial) = await EnrollPaidAsync(dir, plugin);
        var pluginBefore = await File.ReadAllBytesAsync(plugin);
        var stamp = File.GetLastWriteTimeUtc(plugin);

        var known = await IssuedSlipsAsync();
        var stopped = await RunAsync("renew", serial, "--dir", dir, "--plugin-file", plugin, "--key-password-file", keyPasswordFile);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("申請項目：通關專屬法人憑證　展期", stopped.Stdout);
        var resume = Regex.Match(stopped.Stdout, @"carry on with: ra renew \S+ --resume ([0-9a-f-]{36})").Groups[1].Value;
        Assert.NotEmpty(resume);

        var renewing = RunAsync("renew", serial, "--resume", resume, "--dir", dir, "--plugin-file", plugin, "--wait", "--key-password-file", keyPasswordFile);
        var slip = await OpenSlipAsync(known);
        await scenario.PayAsync(new PaymentSlip { SlipNumber = slip.Number, AmountNtd = slip.Amount });
        var renewed = await renewing;
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        var sameFolderSerial = await CheckFolderAsync(dir, resume);
        Assert.NotEqual(serial, sameFolderSerial);
        Assert.Equal(pluginBefore, await File.ReadAllBytesAsync(plugin));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(plugin));
        Assert.Contains("unchanged", renewed.Stdout);

        var otherDir = Folder("renewed-elsewhere");
        known = await IssuedSlipsAsync();
        var moving = RunAsync("renew", sameFolderSerial, "--dir", otherDir, "--plugin-file", plugin, "--wait", "--key-password-file", keyPasswordFile);
        var secondSlip = await OpenSlipAsync(known);
        await scenario.PayAsync(new PaymentSlip { SlipNumber = secondSlip.Number, AmountNtd = secondSlip.Amount });
        var moved = await moving;
        Assert.True(moved.ExitCode == 0, moved.ToString());
        var movedId = Regex.Match(moved.Stdout, @"application: ([0-9a-f-]{36})").Groups[1].Value;
        await CheckFolderAsync(otherDir, movedId);
        Assert.Equal(OtherPluginLines.Replace("cert.path=", $"cert.path={otherDir}/cert.pem").Replace("keystore.path=", $"keystore.path={otherDir}/keystore.p12"),
            await File.ReadAllTextAsync(plugin));
        Assert.Equal(pluginBefore, await File.ReadAllBytesAsync(plugin + ".bak"));
    }

    [Fact]
    public async Task Suspend_unsuspend_and_revoke_are_watched_to_completion_and_the_verifier_sees_each()
    {
        var dir = Folder("status");
        var (_, serial) = await EnrollPaidAsync(dir, PluginFile("status.conf"));
        var keyStore = Path.Combine(dir, "keystore.p12");

        await ChangeAsync("suspend", serial);
        var suspended = await VerifyAsync(keyStore);
        Assert.True(suspended.ExitCode == 5, suspended.ToString());
        Assert.DoesNotMatch(@"(?m)^verdict:\s+VALID$", suspended.Stdout);

        await ChangeAsync("unsuspend", serial);
        var valid = await VerifyAsync(keyStore);
        Assert.True(valid.ExitCode == 0, valid.ToString());

        await ChangeAsync("revoke", serial, "--reason", "key-compromise");
        var revoked = await VerifyAsync(keyStore);
        Assert.True(revoked.ExitCode == 5, revoked.ToString());
        var certs = await RunAsync("certs", "--state", "revoked");
        Assert.Matches($@"(?m)^{serial}\s+ORGANIZATION\s+REVOKED\s", certs.Stdout);

        // A revoked certificate's suspension is taken in and rejected: an answer, exit 5, with the reason.
        var again = await RunAsync("apply", "suspend", serial);
        Assert.True(again.ExitCode == 5, again.ToString());
        Assert.Matches(@"(?m)^state:\s+REJECTED$", again.Stdout);
        Assert.Matches(@"(?m)^rejection_reasons\[0\]\.code:\s+CERTIFICATE_REVOKED$", again.Stdout);
    }

    [Fact]
    public async Task A_clerk_prints_the_slip_of_a_paper_application_as_a_pdf()
    {
        var application = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        var pdf = Path.Combine(profile.Folder, "counter-slip.pdf");
        var run = await RunAsync("office", "print-slip", application.ApplicationId, "--pdf", pdf);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches($@"(?m)^payment_slip\.slip_number:\s+{application.PaymentSlip.SlipNumber}$", run.Stdout);
        AssertPdf(pdf);
    }

    [Fact]
    public async Task An_applicant_command_without_a_signer_or_against_a_dead_server_says_so_in_one_line()
    {
        var noServer = await RaProcess.RunAsync("status", Guid.NewGuid().ToString(), "--server", "https://127.0.0.1:1", "--identity", server.Pki.CompanyP12,
            "--password-file", Path.Combine(profile.Folder, "p12-password.txt"), "--ubn", WorkflowScenario.FirmUbn, "--name", WorkflowScenario.FirmName);
        RaProcess.AssertFailsWithOneLine(noServer, 4, "cannot reach https://127.0.0.1:1");

        var unknown = await RunAsync("status", Guid.NewGuid().ToString());
        RaProcess.AssertFailsWithOneLine(unknown, 1, $"refused by {profile.Address}: NOT_FOUND APPLICATION_NOT_FOUND");

        var noSigner = await RaProcess.RunAsync("apply", "new", "--server", profile.Address, "--email", "a@example.test");
        RaProcess.AssertFailsWithOneLine(noSigner, 2, "no applicant: pass --ubn UBN --name NAME");
    }

    /// <summary>enroll without --wait, the payment by the fee system's API, and the resume; returns the application and serial.</summary>
    private async Task<(string ApplicationId, string Serial)> EnrollPaidAsync(string dir, string plugin)
    {
        var first = await RunAsync("enroll", "--dir", dir, "--plugin-file", plugin, "--key-password-file", keyPasswordFile);
        Assert.True(first.ExitCode == 0, first.ToString());
        var applicationId = Regex.Match(first.Stdout, @"--resume ([0-9a-f-]{36})").Groups[1].Value;
        await scenario.PayAsync((await scenario.GetAsync(applicationId)).PaymentSlip);
        var resumed = await RunAsync("enroll", "--resume", applicationId, "--dir", dir, "--plugin-file", plugin, "--key-password-file", keyPasswordFile);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        return (applicationId, await CheckFolderAsync(dir, applicationId));
    }

    /// <summary>Files a status change and follows it with `ra status --watch` until the CA has done it.</summary>
    private async Task ChangeAsync(string service, string serial, params string[] more)
    {
        var apply = await RunAsync(["apply", service, serial, "--json", .. more]);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var id = Regex.Match(apply.Stdout, "\"applicationId\": \"([0-9a-f-]{36})\"").Groups[1].Value;
        var watch = await RunAsync("status", id, "--watch");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Matches(@"(?m)^state:\s+COMPLETED$", watch.Stdout);
        Assert.Contains($"{id}: COMPLETED", watch.Stderr);
    }

    /// <summary>
    /// The folder after an install: openssl opens keystore.p12 with the key password and finds the certificate the
    /// RA's DownloadCertificate returns and the key whose public half is in request.csr. Returns the serial.
    /// </summary>
    private async Task<string> CheckFolderAsync(string dir, string applicationId)
    {
        var downloaded = await DownloadedAsync(applicationId);
        var keyStore = Path.Combine(dir, "keystore.p12");
        OpensWithOpenssl(keyStore, downloaded);
        var csrKey = OpenSsl.Succeed("req", "-in", Path.Combine(dir, "request.csr"), "-pubkey", "-noout");
        Assert.Equal(csrKey, PublicKeyOf(keyStore));
        Assert.Equal(downloaded.RawData, X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "cert.pem")).RawData);
        Assert.Contains("ENCRYPTED PRIVATE KEY", await File.ReadAllTextAsync(Path.Combine(dir, "key.pem")));
        Assert.False(File.Exists(Path.Combine(dir, "key.pending.pem")), "the pending key became key.pem");
        return (await scenario.GetAsync(applicationId)).IssuedCertificateSerialHex;
    }

    private void OpensWithOpenssl(string pkcs12, X509Certificate2 expected)
    {
        var pem = OpenSsl.Succeed("pkcs12", "-in", pkcs12, "-passin", $"file:{keyPasswordFile}", "-nokeys", "-clcerts");
        Assert.Equal(expected.RawData, X509Certificate2.CreateFromPem(pem).RawData);
    }

    private string PublicKeyOf(string pkcs12)
    {
        var key = OpenSsl.Succeed("pkcs12", "-in", pkcs12, "-passin", $"file:{keyPasswordFile}", "-nocerts", "-nodes");
        var file = Path.Combine(profile.Folder, $"key-{Guid.NewGuid():N}.pem");
        File.WriteAllText(file, key);
        try
        {
            return OpenSsl.Succeed("pkey", "-in", file, "-pubout");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<X509Certificate2> DownloadedAsync(string applicationId)
    {
        var download = await scenario.Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName), ApplicationId = applicationId,
            }),
        });
        return X509CertificateLoader.LoadCertificate(download.CertificateDer.ToByteArray());
    }

    /// <summary>`ra verify` of a message signed with the key store's certificate and key, for the firm.</summary>
    private async Task<RaRun> VerifyAsync(string keyStore)
    {
        await server.Services.GetRequiredService<RaServer.Trust.CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);
        using var signer = X509CertificateLoader.LoadPkcs12FromFile(keyStore, KeyPassword, X509KeyStorageFlags.EphemeralKeySet);
        var message = Path.Combine(profile.Folder, $"declaration-{Guid.NewGuid():N}.txt");
        var body = Encoding.UTF8.GetBytes("<Declaration no=\"AA/14/001/00001\"/>");
        await File.WriteAllBytesAsync(message, body);
        await File.WriteAllBytesAsync(message + ".p7s", DetachedCmsSigner.Sign(body, signer, DateTimeOffset.UtcNow));
        return await RunAsync("verify", message, "--signature", message + ".p7s", "--firm", WorkflowScenario.FirmUbn);
    }

    private async Task<string[]> IssuedSlipsAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT slip_number FROM payment_slips WHERE status = 'ISSUED'")).ToArray();
    }

    /// <summary>The slip of the one application that `ra` filed and that waits for payment (not one of <paramref name="known"/>).</summary>
    private async Task<(string Number, long Amount)> OpenSlipAsync(string[] known)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var open = (await connection.QueryAsync<(string, long)>(
                "SELECT slip_number, amount_ntd FROM payment_slips WHERE status = 'ISSUED' AND slip_number <> ALL(@known)", new { known })).ToList();
            if (open.Count == 1)
                return open[0];
            Assert.True(open.Count == 0, $"{open.Count} open slips");
            await Task.Delay(100);
        }
        throw new TimeoutException("ra filed no application within 30 s");
    }

    private static void AssertPdf(string file)
    {
        var start = new ProcessStartInfo("pdfinfo", [file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        Assert.Matches(@"(?m)^Pages:\s+1$", output);
    }

    /// <summary>ra with the test profile, the server's clock first set to the wall clock ra signs with.</summary>
    private Task<RaRun> RunAsync(params string[] args)
    {
        var now = DateTimeOffset.UtcNow;
        if (now > server.Clock.GetUtcNow())
            server.Clock.SetUtcNow(now);
        return profile.RunAsync(args);
    }

    private string Folder(string name) => Path.Combine(profile.Folder, name);

    private string PluginFile(string name)
    {
        var file = Path.Combine(profile.Folder, name);
        File.WriteAllText(file, OtherPluginLines);
        return file;
    }
}
