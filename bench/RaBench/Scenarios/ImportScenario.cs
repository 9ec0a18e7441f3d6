using System.Diagnostics;
using System.Globalization;
using Customs.Ra.V1;
using Npgsql;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Workflow;
using DevTools;

namespace RaBench.Scenarios;

/// <summary>
/// T6: ImportRegistry of 100,000 operator records in one client stream over gRPC (mTLS as the registry role), timed
/// from the first write to the summary. Baseline: the same records through RegistryImporter in process, no gRPC, into
/// a second freshly migrated database of the same cluster.
/// </summary>
public static class ImportScenario
{
    private const int Records = 100_000;

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("import", $"T6: ImportRegistry of {Records:N0} operator records ≤ 10 s");
        var operators = ValidUbns().Take(Records).Select((ubn, i) => new Operator
        {
            Ubn = ubn, Name = $"Bench Operator {i}", Kind = OperatorKind.Carrier, CustomsOfficeCode = "AA", Status = OperatorStatus.Active,
        }).ToList();

        var grpc = await ImportOverGrpcAsync(env, operators);
        var baseline = await ImportInProcessAsync(env, operators);
        Report.Line(grpc);
        Report.Line(baseline);
        Report.Ratio("gRPC stream / in-process importer", grpc, baseline);
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"T6: {Records:N0} records in {grpc.Elapsed.TotalSeconds:F2} s over gRPC — {(grpc.Elapsed.TotalSeconds <= 10 && grpc.Failed == 0 ? "met" : "NOT met")} (≤ 10 s)"));
    }

    private static async Task<LoadResult> ImportOverGrpcAsync(BenchEnvironment env, List<Operator> operators)
    {
        using var channel = env.Channel("registry");
        var client = new Registry.RegistryClient(channel);
        var clock = Stopwatch.StartNew();
        using var call = client.ImportRegistry();
        foreach (var record in operators)
            await call.RequestStream.WriteAsync(new ImportRegistryRequest { Operator = record });
        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;
        clock.Stop();
        var rejected = summary.Results.FirstOrDefault(r => r.Outcome != RecordOutcome.Accepted);
        return Single("ImportRegistry over gRPC, one stream", summary.AcceptedCount, operators.Count - summary.AcceptedCount, clock.Elapsed,
            rejected is null ? null : $"record {rejected.Index}: {rejected.Reason}");
    }

    private static async Task<LoadResult> ImportInProcessAsync(BenchEnvironment env, List<Operator> operators)
    {
        const string database = "bench_import_baseline";
        await using (var server = new NpgsqlConnection(env.Cluster.ConnectionStringFor("postgres")))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", server);
            await create.ExecuteNonQueryAsync();
        }
        await using var dataSource = NpgsqlDataSource.Create(env.Cluster.ConnectionStringFor(database));
        await Migrator.MigrateAsync(dataSource, Migrator.DefaultFolder, logger: null, CancellationToken.None);

        var records = operators.Select(o => RegistryImportRecord.Of(
            new OperatorRecord(o.Ubn, o.Name, OperatorKinds.Carrier, o.CustomsOfficeCode, null, "ACTIVE"))).ToList();
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
        return Single("RegistryImporter in process (baseline)", accepted, rejected, clock.Elapsed, firstRefusal);
    }

    /// <summary>One timed run reported like a loop; it has no per-record latencies.</summary>
    private static LoadResult Single(string name, long accepted, long rejected, TimeSpan elapsed, string? firstError) =>
        new(name, 1, accepted, rejected, elapsed, [], firstError);

    private static IEnumerable<string> ValidUbns()
    {
        for (var n = 10_000_000; n <= 99_999_999; n++)
        {
            var candidate = n.ToString("D8", CultureInfo.InvariantCulture);
            if (TaiwanIdentifiers.IsValidUbn(candidate))
                yield return candidate;
        }
    }
}
