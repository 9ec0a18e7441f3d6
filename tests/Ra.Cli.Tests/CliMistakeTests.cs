using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ra.Cli.Tests;

/// <summary>
/// The mistakes people make with `ra`, each run through the built executable: every one is a single readable line
/// on stderr with its documented exit code, and never a stack trace. No server is needed; an unreachable server is
/// a free port nobody listens on.
/// </summary>
public sealed class CliMistakeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ra-cli-mistakes-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A real PKCS#12 with a private key, password "right".</summary>
    private string Pkcs12()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=registry", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(folder, "registry.p12");
        System.IO.File.WriteAllBytes(path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "right"));
        return path;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static readonly string[] Upsert = ["registry", "upsert-operator", "04595252", "--name", "測試", "--kind", "customs-broker", "--office", "AA"];

    public static TheoryData<string, string[], int, string> Usage => new()
    {
        { "no arguments", [], 2, "'ra' needs a command: info, health, registry" },
        { "an unknown command", ["frobnicate"], 2, "'frobnicate' is not a command of 'ra'" },
        { "an unknown subcommand", ["office", "frob"], 2, "'frob' is not a command of 'ra office'" },
        { "a group without its subcommand", ["registry"], 2, "'ra registry' needs a command: upsert-operator" },
        { "a missing argument", ["cert-status", "--firm", "04595252"], 2, "Required argument 'SERIAL' missing" },
        { "a missing required option", ["fees", "confirm", "SLIP", "--amount", "500"], 2, "Option '--receipt' is required; see 'ra fees confirm --help'" },
        { "an unknown option", ["info", "--frobnicate"], 2, "Unrecognized command or argument '--frobnicate'" },
        { "a value that is not a number", ["fees", "confirm", "S", "--amount", "lots", "--receipt", "R"], 2, "Cannot parse argument 'lots' for option '--amount'" },
        { "an unknown enum value", [.. Upsert[..^4], "--kind", "pirate", "--office", "AA"], 2, "--kind: 'pirate' is not one of customs-broker, carrier" },
        { "a malformed date", ["registry", "upsert-mandate", "A123456789", "04595252", "--start", "31/01/2025"], 2, "--start: '31/01/2025' is not a date like 2025-01-31" },
        { "a malformed time", ["fees", "confirm", "S", "--amount", "1", "--receipt", "R", "--paid-at", "yesterday"], 2, "--paid-at: 'yesterday' is not a time" },
        { "no server", ["info"], 2, "no server given: pass --server URL" },
        { "a URL that is not one", ["--server", "not a url", "info"], 2, "--server: 'not a url' is not a URL like https://" },
        { "a URL of another scheme", ["--server", "ftp://127.0.0.1", "info"], 2, "--server: 'ftp://127.0.0.1' is not a URL" },
    };

    [Theory]
    [MemberData(nameof(Usage))]
    public async Task A_usage_mistake_is_one_line_and_exit_2(string mistake, string[] args, int exitCode, string expected)
    {
        _ = mistake;
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(args), exitCode, expected);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes()
    {
        var run = await RaProcess.RunAsync("--help");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        foreach (var text in new[] { "info", "registry", "office", "verify", "cert-status", "Exit codes: 0 ok; 1 refused by the RA", "--profile", "--json" })
            Assert.Contains(text, run.Stdout);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        var commands = new List<string[]>();
        void Walk(Command command, string[] path)
        {
            foreach (var sub in command.Subcommands)
            {
                commands.Add([.. path, sub.Name]);
                Walk(sub, [.. path, sub.Name]);
            }
        }
        Walk(RaCli.Build(), []);
        Assert.True(commands.Count >= 20, $"only {commands.Count} commands found");
        foreach (var path in commands)
        {
            var run = await RaProcess.RunAsync([.. path, "--help"]);
            Assert.True(run.ExitCode == 0 && run.Stdout.Contains("Usage:", StringComparison.Ordinal), $"ra {string.Join(' ', path)} --help: {run}");
            Assert.Equal("", run.Stderr);
        }
    }

    /// <summary>
    /// The CPU `ra --help` costs, not its wall time: on a shared machine the wall time moves several-fold with the
    /// load, the CPU a start-up needs hardly at all (GNU time reports the child's user + system seconds).
    /// </summary>
    [Fact]
    public async Task Help_costs_well_under_a_second_of_cpu()
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/time", ["-f", "%U %S", RaProcess.Executable, "--help"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var time = System.Diagnostics.Process.Start(start)!;
        _ = await time.StandardOutput.ReadToEndAsync();
        var report = (await time.StandardError.ReadToEndAsync()).Trim().Split('\n')[^1].Split(' ');
        await time.WaitForExitAsync();
        Assert.Equal(0, time.ExitCode);
        var cpu = double.Parse(report[0], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(report[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cpu < 0.6, $"ra --help used {cpu:F2} s of CPU");
    }

    [Fact]
    public async Task A_missing_trust_file_is_exit_3()
    {
        var missing = Path.Combine(folder, "nowhere.crt");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", "https://127.0.0.1:1", "--trust", missing, "info"),
            3, $"trust file {missing} does not exist");
    }

    [Fact]
    public async Task A_trust_file_that_is_no_certificate_is_exit_3()
    {
        var junk = File("junk.crt", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", "https://127.0.0.1:1", "--trust", junk, "info"),
            3, $"trust file {junk} is not a PEM or DER certificate");
    }

    [Fact]
    public async Task A_missing_identity_file_is_exit_3()
    {
        var missing = Path.Combine(folder, "nobody.p12");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", missing, .. Upsert]),
            3, $"identity file {missing} does not exist");
    }

    [Fact]
    public async Task No_identity_at_all_names_where_to_give_one()
    {
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", .. Upsert]),
            3, "no registry identity: pass --identity FILE.p12 or set identities.registry.pkcs12 in the profile");
    }

    [Fact]
    public async Task A_file_that_is_no_pkcs12_is_exit_3()
    {
        var text = File("text.p12", "hello");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", text, .. Upsert]),
            3, $"identity file {text} is not a PKCS#12 file");
    }

    [Fact]
    public async Task A_wrong_password_is_exit_3_whether_from_a_file_or_the_environment()
    {
        var p12 = Pkcs12();
        var wrong = File("wrong.txt", "wrong\n");
        RaProcess.AssertFailsWithOneLine(
            await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", p12, "--password-file", wrong, .. Upsert]),
            3, $"wrong password for {p12}");
        RaProcess.AssertFailsWithOneLine(
            await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", p12, .. Upsert], new Dictionary<string, string> { ["RA_REGISTRY_PASSWORD"] = "wrong" }),
            3, $"wrong password for {p12}");
    }

    [Fact]
    public async Task The_right_password_gets_as_far_as_the_network()
    {
        var port = ClosedPort();
        var run = await RaProcess.RunAsync(["--server", $"https://127.0.0.1:{port}", "--identity", Pkcs12(), .. Upsert],
            new Dictionary<string, string> { ["RA_PASSWORD"] = "right" });
        RaProcess.AssertFailsWithOneLine(run, 4, $"cannot reach https://127.0.0.1:{port}: connection refused");
    }

    [Fact]
    public async Task No_password_and_no_terminal_says_where_to_put_one()
    {
        var p12 = Pkcs12();
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", p12, .. Upsert]),
            3, $"no password for {p12}: use --password-file FILE, or set RA_REGISTRY_PASSWORD or RA_PASSWORD");
    }

    [Fact]
    public async Task A_missing_password_file_is_exit_3()
    {
        var missing = Path.Combine(folder, "password.txt");
        RaProcess.AssertFailsWithOneLine(
            await RaProcess.RunAsync(["--server", "https://127.0.0.1:1", "--identity", Pkcs12(), "--password-file", missing, .. Upsert]),
            3, $"password file {missing} does not exist");
    }

    [Fact]
    public async Task A_missing_message_file_is_exit_3()
    {
        var missing = Path.Combine(folder, "message.xml");
        RaProcess.AssertFailsWithOneLine(
            await RaProcess.RunAsync("--server", "https://127.0.0.1:1", "verify", missing, "--signature", missing + ".p7s", "--firm", "04595252"),
            3, $"message file {missing} does not exist");
    }

    [Fact]
    public async Task A_missing_profile_named_explicitly_is_exit_3()
    {
        var missing = Path.Combine(folder, "profile.json");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--profile", missing, "info"), 3, $"profile {missing} does not exist");
    }

    [Fact]
    public async Task A_broken_profile_is_exit_3()
    {
        var broken = File("profile.json", "{ \"server\": ");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--profile", broken, "info"), 3, $"profile {broken} is not valid");
    }

    [Fact]
    public async Task The_profile_gives_the_server_and_relative_paths_are_beside_it()
    {
        var port = ClosedPort();
        var profile = File("profile.json", $$"""
            { "server": "https://127.0.0.1:{{port}}", "identities": { "registry": { "pkcs12": "registry.p12", "passwordFile": "pw.txt" } } }
            """);
        Pkcs12();
        File("pw.txt", "right\n");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync(["--profile", profile, .. Upsert]), 4, $"cannot reach https://127.0.0.1:{port}");
    }

    [Fact]
    public async Task A_registry_file_line_that_is_no_record_stops_the_import_before_anything_is_sent()
    {
        var csv = File("registry.csv", "# operators first\noperator,04595252,測試,customs-broker,AA,207/0,active\nmandate,A123456789,04595252\n");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", "https://127.0.0.1:1", "registry", "import", csv),
            3, $"{csv}:3: a mandate line has 5 cells, this one has 3");
        var kinds = File("kinds.csv", "operator,04595252,測試,pirate,AA,207/0,active\n");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", "https://127.0.0.1:1", "registry", "import", kinds),
            3, $"{kinds}:1: 'pirate' is not one of customs-broker");
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_4_with_its_address()
    {
        var port = ClosedPort();
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", $"https://127.0.0.1:{port}", "info"),
            4, $"cannot reach https://127.0.0.1:{port}: connection refused");
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", $"https://127.0.0.1:{port}", "--json", "health"),
            4, $"cannot reach https://127.0.0.1:{port}: connection refused");
    }

    [Fact]
    public async Task An_unknown_host_is_exit_4()
    {
        RaProcess.AssertFailsWithOneLine(await RaProcess.RunAsync("--server", "https://no-such-host.invalid:5443", "info"),
            4, "cannot reach https://no-such-host.invalid:5443: host not found");
    }

    [Fact]
    public async Task Completion_offers_commands_and_enum_values()
    {
        var line = "ra registry upsert-operator --kind ";
        var run = await RaProcess.RunAsync($"[suggest:{line.Length}]", line);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("customs-broker", run.Stdout.Split('\n'));
        var bash = await RaProcess.RunAsync("completion", "bash");
        Assert.Contains("complete -o bashdefault -o default -F _ra_complete ra", bash.Stdout);
    }
}
