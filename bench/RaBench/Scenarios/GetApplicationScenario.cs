using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaBench.Load;
using RaServer.Domain;
using RaServer.Storage;

namespace RaBench.Scenarios;

/// <summary>
/// T2: GetApplication over gRPC (TLS, signed envelope checked, one application row and its slip read; reads write no
/// journal row) against GetRaInfo, an unauthenticated call that touches nothing, on the same server, from the load
/// process, with the same 4 connections and 32 calls in flight.
/// </summary>
public static class GetApplicationScenario
{
    private const string DapperQuery = $"""
        SELECT {RowColumns.Application}, {RowColumns.PaymentSlip}
        FROM applications a LEFT JOIN payment_slips s ON s.application_id = a.id
        WHERE a.id = @id
          AND (a.applicant_ubn = @Ubn::bpchar OR a.applicant_national_id = @NationalId)
        """;

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("get-application", "T2: GetApplication ≥ 15,000/s and ≥ 0.5 × an empty unary call (GetRaInfo), 32 in flight");
        await Workload.LoadCompanyAsync(env);
        using var company = env.CompanyCertificate();
        var application = await Workload.SubmitNewOrganizationApplicationAsync(env, new Ra.Client.Signing.RequestSigner(company));

        LoadJob Job(string workload) => new()
        {
            Workload = workload, ServerAddress = env.Address.ToString(), PkiFolder = env.Pki.Folder, InFlight = 32, Connections = 4,
            Args = { ["application"] = application.ApplicationId },
        };
        var empty = await LoadProcess.RunAsync(Job("ra-info"), env.Meter);
        Report.Line(empty);
        var get = await LoadProcess.RunAsync(Job("get-application"), env.Meter);
        Report.Line(get);
        Report.Ratio("T2 GetApplication / GetRaInfo", get, empty, "≥ 0.5 and ≥ 15,000/s");

        // Lever 6's row reader against the Dapper multi-mapping it replaced (the query exactly as it was), same pool, in process.
        var id = Guid.Parse(application.ApplicationId);
        var applicant = new ApplicantKey(Workload.FirmUbn, null);
        var queries = env.Services.GetRequiredService<ApplicationQueries>();
        var pool = env.Services.GetRequiredService<NpgsqlDataSource>();
        var dapper = await InProcessLoad.MeasureAsync(env, "Dapper multi-mapping (before)", 8, TimeSpan.FromSeconds(5), long.MaxValue, async n =>
        {
            await using var connection = await pool.OpenConnectionAsync();
            _ = (await connection.QueryAsync<ApplicationRow, PaymentSlipRow?, (ApplicationRow, PaymentSlipRow?)>(DapperQuery,
                (a, s) => (a, s), new { id, applicant.Ubn, applicant.NationalId }, splitOn: "SlipNumber")).Single();
        });
        Report.Line(dapper);
        var reader = await InProcessLoad.MeasureAsync(env, "GetWithSlipAsync, row reader (after)", 8, TimeSpan.FromSeconds(5), long.MaxValue,
            async n => _ = await queries.GetWithSlipAsync(id, applicant, CancellationToken.None) ?? throw new InvalidOperationException("not found"));
        Report.Line(reader);
        Report.Ratio("lever 6 row reader / Dapper", reader, dapper);
    }
}
