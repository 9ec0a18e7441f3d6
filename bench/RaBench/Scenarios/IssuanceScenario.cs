using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaBench.Load;

namespace RaBench.Scenarios;

/// <summary>
/// T1 (and T1b when the run's CA key is RSA-2048). Baseline: PERFORMANCE.md's in-process pipeline — the CSR check,
/// the CA's signature and one durable INSERT, which is exactly EmbeddedCertificateAuthority.IssueAsync with a fresh
/// request key — from 8 workers. Measured: T1 as defined, from the load process: a signed SubmitCsr over gRPC for an
/// application in AWAITING_KEY, done when the client sees COMPLETED on its WatchApplication stream, 32 in flight,
/// through the server's own CA dispatcher (its configured workers), sequencer and fan-out.
/// </summary>
public static class IssuanceScenario
{
    private const int BaselineWorkers = 8;
    private const int InFlight = 32;
    private const int DistinctCsrs = 1_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(BenchEnvironment env, string target)
    {
        var algorithm = env.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RaServer.Hosting.EmbeddedCaOptions>>().Value.KeyAlgorithm;
        var t = algorithm == CaKeyAlgorithm.Rsa2048 ? "T1b" : "T1";
        Report.Heading("issuance", $"{t}: signed SubmitCsr → COMPLETED on Watch, {InFlight} in flight, embedded CA with a {algorithm} key");
        await Workload.LoadCompanyAsync(env);
        var csrs = Enumerable.Range(0, DistinctCsrs).Select(_ => NewCsr()).ToArray();
        var ca = env.Services.GetRequiredService<EmbeddedCertificateAuthority>();
        await ca.GetMaterialAsync(CancellationToken.None);
        var profile = CertificateProfile.Organization(Workload.FirmName, Workload.FirmUbn);

        var baseline = await InProcessLoad.MeasureAsync(env, "CsrPolicy+sign+INSERT in process (baseline)", BaselineWorkers, Duration, 100_000,
            async n => await ca.IssueAsync(new CaIssueRequest
            {
                RequestKey = Guid.NewGuid().ToString("D"), CsrDer = csrs[n % DistinctCsrs], Profile = profile, ValidityYears = 3,
            }, CancellationToken.None));
        Report.Line(baseline);

        // Enough applications for the warm-up (at most 12 s) and the measurement at up to 1.5 times the baseline's rate.
        var count = (int)Math.Clamp(baseline.PerSecond * 1.5 * (12 + Duration.TotalSeconds), 2_000, 30_000);
        var (ids, after) = await AwaitingKey.PrepareAsync(env, count);
        var idsFile = Path.Combine(env.Folder, $"awaiting-key-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(idsFile, ids.Select(id => id.ToString("D")));
        var t1 = await LoadProcess.RunAsync(new LoadJob
        {
            Workload = "submit-csr", ServerAddress = env.Address.ToString(), PkiFolder = env.Pki.Folder, InFlight = InFlight,
            MeasureSeconds = Duration.TotalSeconds, MaxOperations = count,
            Args = { ["applications"] = idsFile, ["after-sequence"] = after.ToString(CultureInfo.InvariantCulture) },
        }, env.Meter);
        Report.Line(t1);
        Report.Ratio($"{t} SubmitCsr→COMPLETED / in-process pipeline", t1, baseline, target);
        await CheckIssuedOnceAsync(env);
    }

    private static byte[] NewCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=bench applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>Correctness beside the figures: no application got two certificates, and every CA certificate is known to the RA.</summary>
    private static async Task CheckIssuedOnceAsync(BenchEnvironment env)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM (SELECT issued_for_application FROM certificates WHERE issued_for_application IS NOT NULL
                                          GROUP BY issued_for_application HAVING count(*) > 1) twice),
                   (SELECT count(*) FROM applications WHERE state = 'COMPLETED' AND notice_email = 'bench@example.test')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Report.Note($"applications with two certificates: {reader.GetInt64(0)}; bench applications COMPLETED: {reader.GetInt64(1):N0}");
    }
}
