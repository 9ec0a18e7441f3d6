using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using EmbeddedCa.Cmp;
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

        // The CMP responder alone, called in process with the same kind of request: what the HTTP layer adds is the difference.
        var inProcess = await MeasureInProcessAsync(env, csrsFile, cmpSignerFile);
        Report.Line(inProcess);

        // cfssl runs before and after ours, so the drift of a shared machine over the scenario shows beside the ratio.
        // Idle while ours is measured, it costs nothing then; `using` kills it whatever happens.
        using var peer = await CfsslServer.StartAsync(Path.Combine(env.Folder, "cfssl"));
        Report.Note($"cfssl serve at {peer.Address} ({CfsslVersion()})");
        var cfssl = await MeasureCfsslAsync(env, peer, csrsFile);

        // Enough transactions for a 12 s warm-up and the measurement at the peer's rate, and a margin.
        var messages = (int)Math.Clamp(cfssl.PerSecond * (12 + Duration.TotalSeconds) * 1.1, 20_000, 220_000);
        var endpoint = new Uri(env.CaAddress, EmbeddedCaPaths.CmpPkix);
        var stored = await StoredCmpCertificatesAsync(env);
        var withCertConf = await LoadProcess.RunAsync(Job("cmp-p10cr", endpoint, env, csrsFile, messages, cmpSignerFile, implicitConfirm: false), env.Meter);
        Report.Line(withCertConf);
        var withImplicitConfirm = await LoadProcess.RunAsync(Job("cmp-p10cr", endpoint, env, csrsFile, messages, cmpSignerFile, implicitConfirm: true), env.Meter);
        Report.Line(withImplicitConfirm);
        Report.Note($"CMP certificates stored during the two CMP loops (warm-ups included): {await StoredCmpCertificatesAsync(env) - stored:N0}");
        var cfsslAfter = await MeasureCfsslAsync(env, peer, csrsFile);

        Report.Ratio("T7 CMP p10cr+certConf / cfssl sign", withCertConf, cfssl);
        Report.Ratio("T7 CMP p10cr / cfssl sign", withImplicitConfirm, cfssl, "≥ 0.75");
        Report.Ratio("T7 CMP p10cr / cfssl sign after it", withImplicitConfirm, cfsslAfter);
        Report.Ratio("CMP p10cr over HTTP / CmpServer in process", withImplicitConfirm, inProcess);
    }

    private static async Task<Measured> MeasureCfsslAsync(BenchEnvironment env, CfsslServer peer, string csrsFile)
    {
        var cpuBefore = peer.CpuMs();
        var cfssl = await LoadProcess.RunAsync(Job("cfssl-sign", peer.SignEndpoint, env, csrsFile), env.Meter);
        var cpuMs = peer.CpuMs() - cpuBefore;
        Report.Line(cfssl);
        // Warm-up and measurement both: the load process reports only the measured loop's count, so per op this is an upper bound.
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"cfssl CPU over warm-up and measurement: {cpuMs / 1000:F1} s (the RaServer figures of this line are idle)"));
        return cfssl;
    }

    /// <summary>CmpServer.HandleAsync on pre-built p10cr messages (implicitConfirm asked), 16 at a time, no HTTP.</summary>
    private static async Task<Measured> MeasureInProcessAsync(BenchEnvironment env, string csrsFile, string cmpSignerFile)
    {
        const int Messages = 40_000;
        using var client = BenchCmpClient.Load(env.Folder);
        using var cmpSigner = X509CertificateLoader.LoadCertificateFromFile(cmpSignerFile);
        var messages = new CmpClientMessages(client, cmpSigner);
        var csrs = (await File.ReadAllLinesAsync(csrsFile)).Select(Convert.FromBase64String).ToArray();
        var requests = new byte[Messages][];
        Parallel.For(0, Messages, i => requests[i] = messages.P10cr(csrs[i % csrs.Length],
            RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength), RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength), implicitConfirm: true));
        var cmp = env.Services.GetRequiredService<CmpServer>();
        // One answer checked as the load process checks every one; the rest are counted in the database below.
        var (transactionId, nonce) = (RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength), RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength));
        var answer = await cmp.HandleAsync(messages.P10cr(csrs[0], transactionId, nonce, implicitConfirm: true), CancellationToken.None);
        CmpClientMessages.CertificateOf(messages.Check(answer, transactionId, nonce, Org.BouncyCastle.Asn1.Cmp.PkiBody.TYPE_CERT_REP));
        var stored = await StoredCmpCertificatesAsync(env);
        var next = -1L;
        var measured = await InProcessLoad.MeasureAsync(env, "CmpServer.HandleAsync in process", InFlight, Duration, Messages / 2, async _ =>
        {
            var i = Interlocked.Increment(ref next);
            if (i >= Messages)
                throw new InvalidOperationException($"all {Messages:N0} pre-built p10cr messages are used");
            await cmp.HandleAsync(requests[i], CancellationToken.None);
        });
        var handled = Math.Min(next + 1, Messages);
        var issued = await StoredCmpCertificatesAsync(env) - stored;
        if (issued != handled)
            throw new InvalidOperationException($"CmpServer handled {handled:N0} p10cr in process but stored {issued:N0} certificates");
        return measured;
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
