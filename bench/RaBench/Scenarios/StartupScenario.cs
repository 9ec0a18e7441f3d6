using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Ra.Client.Signing;
using RaBench.Load;
using RaBench.Startup;

namespace RaBench.Scenarios;

/// <summary>
/// Lever 2: RaServer published two ways, plain (framework-dependent, JIT only) and ReadyToRun, each started as a
/// process of its own against the run's database and PKI, with a few tiering settings as extra rows. For each row:
/// the time from process start to the first GetRaInfo answer and to the first signed GetApplication, and the child's
/// CPU up to each (median of <see cref="Starts"/> starts, the rows interleaved so drift hits them alike); then
/// steady GetApplication loops, each against a fresh start of the row, with the child's CPU per call. The plain build with no
/// settings is the same-run baseline of every ratio.
/// </summary>
public static class StartupScenario
{
    private const int Starts = 5;
    private const int SteadyRounds = 2;
    private const int MinWarmUpSeconds = 6;
    private const int MeasureSeconds = 10;

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("startup", $"lever 2: published RaServer, plain vs ReadyToRun (and tiering settings), as a child process; median of {Starts} starts, then steady GetApplication, 32 in flight");
        await Workload.LoadCompanyAsync(env);
        using var company = env.CompanyCertificate();
        var signer = new RequestSigner(company);
        var application = (await Workload.SubmitNewOrganizationApplicationAsync(env, signer)).ApplicationId;

        var rows = await RowsAsync(env.Folder);
        using var tlsCa = X509CertificateLoader.LoadCertificateFromFile(env.Pki.TlsCaCertificate);
        var probe = new StartupProbe(tlsCa, () => new GetApplicationRequest
        {
            Envelope = signer.Sign(new GetApplicationPayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = application,
            }),
        }, application);
        await probe.WarmUpAsync(env.Address);

        for (var i = 1; i <= Starts; i++)
        {
            foreach (var row in rows)
            {
                var sample = await StartOnceAsync(env, row, probe);
                row.Samples.Add(sample);
                Report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"start {i} {row.Label,-34} GetRaInfo {sample.RaInfoMs,6:N0} ms  GetApplication {sample.GetApplicationMs,6:N0} ms  child CPU {sample.CpuAtRaInfoMs,6:N0} / {sample.CpuAtGetApplicationMs,6:N0} ms"));
            }
        }

        Console.WriteLine();
        Report.Note($"median of {Starts} starts: time from process start to the first answer, and the child's CPU (utime + stime) by then");
        foreach (var row in rows)
        {
            var m = row.MedianSample();
            Report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{row.Label,-34} GetRaInfo {m.RaInfoMs,6:N0} ms  GetApplication {m.GetApplicationMs,6:N0} ms  child CPU {m.CpuAtRaInfoMs,6:N0} / {m.CpuAtGetApplicationMs,6:N0} ms"));
        }
        var baseline = rows[0];
        var b = baseline.MedianSample();
        foreach (var row in rows.Skip(1))
        {
            var m = row.MedianSample();
            Report.Figure(string.Create(CultureInfo.InvariantCulture,
                $"startup {row.Label} / {baseline.Label}: first GetApplication {m.GetApplicationMs:N0} ÷ {b.GetApplicationMs:N0} ms = {m.GetApplicationMs / b.GetApplicationMs:F2}, "
                + $"CPU to it {m.CpuAtGetApplicationMs:N0} ÷ {b.CpuAtGetApplicationMs:N0} ms = {m.CpuAtGetApplicationMs / b.CpuAtGetApplicationMs:F2}"));
        }

        Console.WriteLine();
        Report.Note($"steady state: GetApplication against a fresh start of each row, at least {MinWarmUpSeconds} s of warm-up and then until steady, "
            + $"{MeasureSeconds} s measured; {SteadyRounds} rounds, the second in reverse order so drift hits the rows alike; server CPU is the child's");
        var steady = rows.ToDictionary(r => r, _ => new List<Measured>());
        for (var round = 1; round <= SteadyRounds; round++)
        {
            foreach (var row in round % 2 == 1 ? rows : Enumerable.Reverse(rows))
            {
                var measured = await SteadyAsync(env, row, probe, application);
                steady[row].Add(measured);
                Report.Line(measured.Result);
                var c = measured.Cost;
                Report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"    per op: CPU server (child) {c.ServerCpuMs:F3} ms, PostgreSQL {c.PostgresCpuMs:F3} ms, client {c.ClientCpuMs:F3} ms; {c.Statements:F1} statements; warm-up {measured.WarmUp}"));
            }
        }
        // Each row's rounds pooled: calls over time, and the child's CPU per call (the per-op figures weighted by calls).
        static (double PerSecond, double CpuMs, long Failed) Pool(List<Measured> runs) => (
            runs.Sum(m => m.Result.Succeeded) / runs.Sum(m => m.Result.Elapsed.TotalSeconds),
            runs.Sum(m => m.Cost.ServerCpuMs * m.Result.Succeeded) / runs.Sum(m => m.Result.Succeeded),
            runs.Sum(m => m.Result.Failed));
        var b0 = Pool(steady[baseline]);
        foreach (var row in rows)
        {
            var p = Pool(steady[row]);
            var invalid = p.Failed + b0.Failed > 0 ? "  (INVALID: failures above)" : "";
            var text = string.Create(CultureInfo.InvariantCulture,
                $"startup steady GetApplication {row.Label}: {p.PerSecond:N0}/s, child CPU {p.CpuMs:F3} ms per call");
            if (row != baseline)
                text += string.Create(CultureInfo.InvariantCulture,
                    $"; / {baseline.Label}: rate {p.PerSecond / b0.PerSecond:F2}, CPU per call {p.CpuMs / b0.CpuMs:F2}{invalid}");
            Report.Figure(text);
        }
    }

    /// <summary>The builds, published now (not timed), and the rows; the plain build without settings first: the baseline.</summary>
    private static async Task<List<StartupRow>> RowsAsync(string folder)
    {
        var plain = await ServerBuild.PublishAsync("plain", Path.Combine(folder, "startup-plain"), ServerBuild.PlainArguments);
        Dictionary<string, string> None() => [];
        Dictionary<string, string> Env(string name, string value) => new() { [name] = value };
        var rows = new List<StartupRow>
        {
            new("plain", plain, None()),
            new("plain, DOTNET_TieredPGO=0", plain, Env("DOTNET_TieredPGO", "0")),
            new("plain, DOTNET_TieredCompilation=0", plain, Env("DOTNET_TieredCompilation", "0")),
            // Ignores all precompiled code, the shared framework's too: what the framework's own ReadyToRun gives.
            new("plain, DOTNET_ReadyToRun=0", plain, Env("DOTNET_ReadyToRun", "0")),
        };
        try
        {
            var r2r = await ServerBuild.PublishAsync("ReadyToRun", Path.Combine(folder, "startup-r2r"), ServerBuild.ReadyToRunArguments);
            rows.Insert(1, new("ReadyToRun", r2r, None()));
            rows.Insert(2, new("ReadyToRun, DOTNET_TieredPGO=0", r2r, Env("DOTNET_TieredPGO", "0")));
        }
        catch (InvalidOperationException e)
        {
            // Crossgen2 and the runtime packs come from NuGet; without them only the tiering rows can be measured.
            Report.Note($"ReadyToRun NOT measured: its publish failed: {e.Message}");
        }
        return rows;
    }

    private static async Task<StartupSample> StartOnceAsync(BenchEnvironment env, StartupRow row, StartupProbe probe)
    {
        var request = probe.Sign();
        var clock = Stopwatch.StartNew();
        await using var child = ServerChild.Start(row.Build, env.ServerSettings, row.Environment);
        return await probe.MeasureAsync(child, clock, request);
    }

    private static async Task<Measured> SteadyAsync(BenchEnvironment env, StartupRow row, StartupProbe probe, string application)
    {
        var request = probe.Sign();
        var clock = Stopwatch.StartNew();
        await using var child = ServerChild.Start(row.Build, env.ServerSettings, row.Environment);
        await probe.MeasureAsync(child, clock, request);
        var job = new LoadJob
        {
            Workload = "get-application", ServerAddress = child.Address.ToString(), PkiFolder = env.Pki.Folder, InFlight = 32, Connections = 4,
            MeasureSeconds = MeasureSeconds, MinWarmUpWindows = MinWarmUpSeconds, Args = { ["application"] = application },
        };
        var result = await LoadProcess.RunAsync(job, new ServerMeter(env.ConnectionString, env.Cluster.DataDirectory, child.Id));
        return result with { Result = result.Result with { Name = $"GetApplication, {row.Label}" } };
    }
}
