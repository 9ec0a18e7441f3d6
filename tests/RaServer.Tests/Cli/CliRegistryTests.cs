using System.Text.Json;
using Ra.Cli.Tests;
using Ra.DevPki;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Cli;

/// <summary>
/// The built `ra` against a real RA, as the registry feed and anyone asking for info and health use it: answers
/// for people and as JSON, a refusal with field violations as one line with exit 1, a streamed import with its
/// per-record result file, and the server's certificate not trusted as exit 4.
/// </summary>
public sealed class CliRegistryTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime, IDisposable
{
    private readonly CliProfile profile = new(shared.Server);

    public async Task InitializeAsync() => await shared.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => profile.Dispose();

    [Fact]
    public async Task Info_and_health_answer_for_people_and_as_json()
    {
        var info = await profile.RunAsync("info");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Matches(@"(?m)^payment_deadline_days:\s+14$", info.Stdout);
        Assert.Matches(@"(?m)^fee_schedule\[0\]\.amount_ntd:\s+\d+$", info.Stdout);

        var json = await profile.RunAsync("info", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(14, document.RootElement.GetProperty("paymentDeadlineDays").GetInt32());

        var health = await profile.RunAsync("health");
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.Matches(@"(?m)^status:\s+SERVING$", health.Stdout);
    }

    [Fact]
    public async Task A_refused_upsert_is_one_line_with_status_reason_fields_and_address_and_exit_1()
    {
        var run = await profile.RunAsync("registry", "upsert-operator", "12345678", "--name", "壞統編公司", "--kind", "customs-broker",
            "--office", "AA", "--box", "207/0");
        RaProcess.AssertFailsWithOneLine(run, 1, $"refused by {profile.Address}: INVALID_ARGUMENT INVALID_REGISTRY_RECORD: ");
        Assert.Contains("[operator.ubn: ", run.Stderr);
        Assert.Equal(0, await shared.Server.CountAsync("operators"));
    }

    [Fact]
    public async Task An_upsert_stores_the_operator_and_says_whether_it_was_new()
    {
        string[] upsert = ["registry", "upsert-operator", WorkflowScenario.SecondFirmUbn, "--name", WorkflowScenario.SecondFirmName,
            "--kind", "customs-broker", "--office", "CA", "--box", "301/0"];
        var first = await profile.RunAsync(upsert);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches($@"(?m)^operator\.ubn:\s+{WorkflowScenario.SecondFirmUbn}$", first.Stdout);
        Assert.Matches(@"(?m)^operator\.kind:\s+CUSTOMS_BROKER$", first.Stdout);

        var again = await profile.RunAsync([.. upsert, "--json"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        using var document = JsonDocument.Parse(again.Stdout);
        Assert.False(document.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal("OPERATOR_STATUS_ACTIVE", document.RootElement.GetProperty("operator").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_import_streams_every_record_and_writes_a_result_per_record()
    {
        var csv = Path.Combine(profile.Folder, "registry.csv");
        await File.WriteAllTextAsync(csv, $"""
            # the feed's export: operators and staff before mandates
            operator,{WorkflowScenario.SecondFirmUbn},"{WorkflowScenario.SecondFirmName}",customs-broker,CA,301/0,active
            broker_staff,A123456789,測試人員,L-0001,active
            operator,12345678,壞統編公司,customs-broker,AA,207/0,active
            mandate,A123456789,{WorkflowScenario.SecondFirmUbn},2025-06-01,
            """);
        var run = await profile.RunAsync("registry", "import", csv);
        Assert.True(run.ExitCode == 1, run.ToString()); // one record was rejected
        var resultsPath = Path.Combine(profile.Folder, "registry.results.csv");
        Assert.Contains($"3 accepted, 1 rejected of 4 records; results in {resultsPath}", run.Stdout);
        var results = await File.ReadAllLinesAsync(resultsPath);
        Assert.Equal("line,record,key,outcome,reason,field_violations", results[0]);
        Assert.Equal($"2,operator,{WorkflowScenario.SecondFirmUbn},ACCEPTED,,", results[1]);
        Assert.Equal("3,broker_staff,A123456789,ACCEPTED,,", results[2]);
        Assert.True(results[3].StartsWith("4,operator,12345678,REJECTED,INVALID_REGISTRY_RECORD,", StringComparison.Ordinal) && results[3].EndsWith(",ubn: must be an 8-digit Unified Business Number with a valid checksum", StringComparison.Ordinal), results[3]);
        Assert.Equal($"5,mandate,A123456789/{WorkflowScenario.SecondFirmUbn}/2025-06-01,ACCEPTED,,", results[4]);
        Assert.Equal(1, await shared.Server.CountAsync("mandates"));
    }

    [Fact]
    public async Task Another_roles_certificate_is_refused_by_the_RA_as_one_line()
    {
        var run = await profile.RunAsync("--identity", shared.Server.Pki.ClientP12(RaServerHarness.Client("fees")),
            "registry", "upsert-operator", WorkflowScenario.FirmUbn, "--name", WorkflowScenario.FirmName, "--kind", "customs-broker", "--office", "AA");
        RaProcess.AssertFailsWithOneLine(run, 1, $"refused by {profile.Address}: PERMISSION_DENIED");
    }

    [Fact]
    public async Task A_server_whose_certificate_the_trust_file_does_not_accept_is_exit_4()
    {
        var run = await profile.RunAsync("--trust", shared.Server.Pki.CaCertificate(DevCa.Grca), "info");
        RaProcess.AssertFailsWithOneLine(run, 4, $"cannot reach {profile.Address} securely: the TLS handshake failed");
    }
}
