using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaBench.Cmp;
using RaBench.Load;

namespace RaBench.Scenarios;

/// <summary>
/// T7 against a real peer, same machine, same run, same CSRs: `cfssl serve`'s sign endpoint (stores nothing) against
/// the embedded CA's CMP endpoint — a p10cr protected by a pinned P-256 client certificate, answered by a protected
/// cp whose certificate is stored durably before the answer. Both from the load process, 16 HTTP/1.1 connections,
/// 16 in flight. Ours is measured twice: as a client that confirms with certConf (a second protected round trip),
/// and as one that asks for implicitConfirm (RFC 4210 5.1.1.1), which the CA grants. cfssl's own CPU is read from
/// /proc, since its process is not the one the meter watches.
/// </summary>
public static class CmpScenario
{
    private const int Connections = 16;
    private const int InFlight = 16;
    private const int DistinctCsrs = 1_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    /// <summary>The server side of the run: the bench's CMP client pinned (see <see cref="BenchEnvironment.StartAsync"/>).</summary>
    public static IReadOnlyDictionary<string, string> Prepare(string folder) => BenchCmpClient.Create(folder);

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("cmp", $"T7: CMP p10cr (protected both ways, certificate stored) vs cfssl serve sign, P-256 CAs, {Connections} connections, {InFlight} in flight");
        var material = await env.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);
        var csrsFile = Path.Combine(env.Folder, "t7-csrs.txt");
        await File.WriteAllLinesAsync(csrsFile, Enumerable.Range(0, DistinctCsrs).Select(_ => Convert.ToBase64String(NewCsr())));
        var cmpSignerFile = Path.Combine(env.Folder, "cmp-signer.crt");
        await File.WriteAllTextAsync(cmpSignerFile, material.CmpSigner.ExportCertificatePem() + "\n");

        Measured cfssl;
        double cfsslCpuMs;
        using (var peer = await CfsslServer.StartAsync(Path.Combine(env.Folder, "cfssl")))
        {
            Report.Note($"cfssl serve at {peer.Address} ({CfsslVersion()})");
            var cpuBefore = peer.CpuMs();
            cfssl = await LoadProcess.RunAsync(Job("cfssl-sign", peer.SignEndpoint, env, csrsFile), env.Meter);
            // Warm-up and measurement both: the load process reports only the measured loop's count, so this is an upper bound per op.
            cfsslCpuMs = peer.CpuMs() - cpuBefore;
        }
        Report.Line(cfssl);
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"cfssl CPU over warm-up and measurement: {cfsslCpuMs / 1000:F1} s (the RaServer figures of this line are idle)"));

        // Enough transactions for a 12 s warm-up and the measurement at the peer's rate, and a margin.
        var messages = (int)Math.Clamp(cfssl.PerSecond * (12 + Duration.TotalSeconds) * 1.1, 20_000, 220_000);
        var endpoint = new Uri(env.CaAddress, EmbeddedCaPaths.CmpPkix);
        var stored = await StoredCmpCertificatesAsync(env);
        var withCertConf = await LoadProcess.RunAsync(Job("cmp-p10cr", endpoint, env, csrsFile, messages, cmpSignerFile, implicitConfirm: false), env.Meter);
        Report.Line(withCertConf);
        var withImplicitConfirm = await LoadProcess.RunAsync(Job("cmp-p10cr", endpoint, env, csrsFile, messages, cmpSignerFile, implicitConfirm: true), env.Meter);
        Report.Line(withImplicitConfirm);
        Report.Ratio("T7 CMP p10cr+certConf / cfssl sign", withCertConf, cfssl);
        Report.Ratio("T7 CMP p10cr / cfssl sign", withImplicitConfirm, cfssl, "≥ 0.75");
        Report.Note($"CMP certificates stored during the two CMP loops (warm-ups included): {await StoredCmpCertificatesAsync(env) - stored:N0}");
    }

    private static LoadJob Job(string workload, Uri endpoint, BenchEnvironment env, string csrsFile, int messages = 0,
        string? cmpSigner = null, bool implicitConfirm = false)
    {
        var job = new LoadJob
        {
            Workload = workload, ServerAddress = endpoint.AbsoluteUri, PkiFolder = env.Pki.Folder, InFlight = InFlight, Connections = Connections,
            MeasureSeconds = Duration.TotalSeconds, Args = { ["csrs"] = csrsFile },
        };
        if (cmpSigner is not null)
        {
            job.Args["messages"] = messages.ToString(CultureInfo.InvariantCulture);
            job.Args["client"] = env.Folder;
            job.Args["cmp-signer"] = cmpSigner;
            job.Args["implicit-confirm"] = implicitConfirm ? "true" : "false";
        }
        return job;
    }

    private static byte[] NewCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("C=TW, O=Bench Third Party, CN=bench applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    private static async Task<long> StoredCmpCertificatesAsync(BenchEnvironment env)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM embedded_ca_certificates WHERE request_key LIKE 'cmp:%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string CfsslVersion()
    {
        using var version = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cfssl", "version") { RedirectStandardOutput = true })!;
        var text = version.StandardOutput.ReadToEnd();
        version.WaitForExit();
        return string.Join(", ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
