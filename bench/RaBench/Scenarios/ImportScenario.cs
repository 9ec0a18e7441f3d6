using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RaBench.Load;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaBench.Scenarios;

/// <summary>
/// T6: ImportRegistry of 100,000 operator records in one client stream from the load process (mTLS as the registry
/// role), timed from the first write to the summary. Baseline: the same records through RegistryImporter in process,
/// no gRPC, into a second freshly migrated database of the same cluster.
/// </summary>
public static class ImportScenario
{
    private const int Records = 100_000;

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("import", $"T6: ImportRegistry of {Records:N0} operator records ≤ 10 s");
        var grpc = await LoadProcess.RunAsync(new LoadJob
        {
            Workload = "import", ServerAddress = env.Address.ToString(), PkiFolder = env.Pki.Folder, InFlight = 1, Connections = 1,
            MaxOperations = 1, WarmUp = false, MeasureSeconds = 60, Args = { ["records"] = Records.ToString(CultureInfo.InvariantCulture) },
        }, env.Meter);
        var perRecord = new Measured(
            LoadResult.Whole("ImportRegistry over gRPC, one stream", 1, grpc.Result.Succeeded * Records, grpc.Result.Failed, grpc.Result.Elapsed, grpc.Result.FirstError),
            grpc.Cost.Divide(Records), "none (one import)");
        var baseline = await ImportInProcessAsync(env);
        Report.Line(perRecord);
        Report.Line(baseline);
        Report.Ratio("T6 gRPC stream / in-process importer", perRecord.Result, baseline);
        Report.Figure(string.Create(CultureInfo.InvariantCulture,
            $"T6: {Records:N0} records in {grpc.Result.Elapsed.TotalSeconds:F2} s over gRPC — {(grpc.Result.Elapsed.TotalSeconds <= 10 && grpc.Result.Failed == 0 ? "met" : "NOT met")} (≤ 10 s)"));
    }

    private static async Task<LoadResult> ImportInProcessAsync(BenchEnvironment env)
    {
        var database = $"bench_import_{Guid.NewGuid():N}";
        await using (var server = new NpgsqlConnection(env.Cluster.ConnectionStringFor("postgres")))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", server);
            await create.ExecuteNonQueryAsync();
        }
        await using var dataSource = NpgsqlDataSource.Create(env.Cluster.ConnectionStringFor(database));
        await Migrator.MigrateAsync(dataSource, Migrator.DefaultFolder, logger: null, CancellationToken.None);

        var records = Workload.ValidUbns().Take(Records).Select((ubn, i) => RegistryImportRecord.Of(
            new OperatorRecord(ubn, $"Bench Operator {i}", OperatorKinds.Carrier, "AA", null, "ACTIVE"))).ToList();
        var importer = new RegistryImporter(new UnitOfWorkFactory(dataSource, new MailOutboxSettings("localhost"), TimeProvider.System), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        long accepted = 0, rejected = 0;
        string? firstRefusal = null;
        await foreach (var result in importer.ImportAsync(records.ToAsyncEnumerable(), CancellationToken.None))
        {
            if (result.Accepted)
                accepted++;
            else
            {
                rejected++;
                firstRefusal ??= $"record {result.Index}: {result.Reason}";
            }
        }
        clock.Stop();
        return LoadResult.Whole("RegistryImporter in process (baseline)", 1, accepted, rejected, clock.Elapsed, firstRefusal);
    }
}
