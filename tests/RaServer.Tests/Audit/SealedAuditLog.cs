using System.Diagnostics;
using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Hosting;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using RaServer.Workers;

namespace RaServer.Tests.Audit;

/// <summary>
/// One real server's audit log, made through the gRPC API (accepted staff changes and refusals), sealed and signed by
/// its sealer, and left in a database nobody is connected to, so each test tampers with a copy of its own.
/// </summary>
public sealed class SealedAuditLog : IAsyncLifetime
{
    public const int Rows = 7;

    public PostgresFixture Postgres { get; } = new();
    public string ConnectionString { get; private set; } = "";
    public string SignerCertificate { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        // A checkpoint on every round that chains a row, so the test's last round signs the head.
        await using var server = await RaServerHarness.StartAsync(Postgres, configure: s => s["Audit:CheckpointEveryRows"] = "1");
        StartedAt = server.Clock.GetUtcNow();
        ConnectionString = server.ConnectionString;
        SignerCertificate = server.Pki.AuditSigningCertificate;
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        await scenario.AddSecondFirmAsync();
        var today = server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var wrongRole = new CustomsOffice.CustomsOfficeClient(server.Channel(RaServerHarness.Client("registry")));

        await scenario.Officer.RecordMandateAsync(new RecordMandateRequest
        {
            Mandate = new Mandate { NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.SecondFirmUbn, StartDate = today },
            ClerkId = "clerk-1",
        });
        await RefusedAsync(() => scenario.Officer.DisqualifyBrokerAsync(new DisqualifyBrokerRequest
            { NationalId = WorkflowScenario.BrokerId, EffectiveDate = today, ClerkId = "clerk-1" }).ResponseAsync);
        await RefusedAsync(() => wrongRole.EndMandateAsync(new EndMandateRequest
            { NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today }).ResponseAsync);
        await scenario.Officer.EndMandateAsync(new EndMandateRequest
            { NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = today, ClerkId = "clerk-2" });
        await RefusedAsync(() => scenario.Officer.RecordMandateAsync(new RecordMandateRequest
            { Mandate = new Mandate { NationalId = WorkflowScenario.BrokerId, FirmUbn = "12345675", StartDate = today } }).ResponseAsync);
        // Sealed in two rounds, so the chain has two checkpoints and the second one fixes its head.
        await server.Services.GetRequiredService<AuditSealer>().RunOnceAsync(CancellationToken.None);
        await scenario.Officer.DisqualifyBrokerAsync(new DisqualifyBrokerRequest
            { NationalId = WorkflowScenario.BrokerId, EffectiveDate = today, Reason = "licence withdrawn", ClerkId = "clerk-3" });
        await RefusedAsync(() => scenario.Officer.DisqualifyBrokerAsync(new DisqualifyBrokerRequest
            { NationalId = "", EffectiveDate = today, Reason = "x" }).ResponseAsync);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await server.Services.GetRequiredService<AuditSealer>().RunOnceAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(ConnectionString);
        Assert.Equal(Rows, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE chain_position IS NOT NULL"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_checkpoints"));
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>A copy of the sealed log's database, for one test to tamper with.</summary>
    public Task<string> CopyAsync() => Postgres.CopyDatabaseAsync(ConnectionString);

    /// <summary>`RaServer audit …` in process: its exit code and what it wrote to standard output and error.</summary>
    public async Task<(int Exit, string Output, string Error)> AuditAsync(string connectionString, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AuditCommand.RunAsync(
            [.. args, $"--Database:ConnectionString={connectionString}", $"--Audit:SigningCertificatePath={SignerCertificate}"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>`RaServer audit …` as the real RaServer process, configured through the environment as an operator would.</summary>
    public async Task<(int Exit, string Output, string Error)> AuditProcessAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RaServer"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Database__ConnectionString"] = connectionString,
                ["Audit__SigningCertificatePath"] = SignerCertificate,
            },
        };
        start.ArgumentList.Add("audit");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    public Task DisposeAsync() => Postgres.DisposeAsync();
}
