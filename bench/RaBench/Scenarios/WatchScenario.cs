using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RaBench.Load;
using RaServer.Workflow;

namespace RaBench.Scenarios;

/// <summary>
/// T3: 10,000 WatchApplication streams on this one server, from the load process, one per application as partner
/// apps watch the applications they wait on (10,000 applications of the bench company, made by SQL). This process
/// then moves every application three steps along its state machine (RECEIVED → AWAITING_PAYMENT → AWAITING_KEY →
/// FORWARDED), 1,000 transitions a second, each its own transaction as the workflow commits them; the load process
/// times each event from its occurred_at to its arrival and checks that every stream saw exactly its three events.
/// Server memory is this process's, where the server is hosted: idle, with the streams open, and at its peak while
/// events flow.
/// </summary>
public static class WatchScenario
{
    private const int Streams = 10_000;
    private const double EventsPerSecond = 1_000;
    private const double TargetP99Ms = 100;

    // Channels in the load process; each opens another HTTP/2 connection whenever the server's per-connection stream
    // limit (Server:Http2MaxStreamsPerConnection) is reached, so the streams end up on about Streams / limit connections.
    private const int Channels = 10;
    private static readonly TimeSpan OpenLimit = TimeSpan.FromMinutes(2);

    // The database's state names, and the client's enum names of the same three steps after RECEIVED.
    private static readonly string[] Steps = ["RECEIVED", "AWAITING_PAYMENT", "AWAITING_KEY", "FORWARDED"];
    private const string ClientStates = "AwaitingPayment,AwaitingKey,Forwarded";

    /// <param name="perCommit">Transitions per transaction: 1 as the workflow commits them; more to reach the rate on a slow disk.</param>
    public static async Task RunAsync(BenchEnvironment env, int perCommit = 1)
    {
        Report.Heading(perCommit == 1 ? "watch" : "watch-batched", $"T3: {Streams:N0} WatchApplication streams, one per application; events at {EventsPerSecond:N0}/s, "
            + $"{perCommit} per commit; event → client p99 ≤ {TargetP99Ms} ms; server memory ≤ 1 GiB");
        await Workload.LoadCompanyAsync(env);
        var (ids, after) = await PreparedApplications.PrepareAsync(env, Streams);
        var idsFile = Path.Combine(env.Folder, $"watched-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(idsFile, ids.Select(id => id.ToString("D")));
        var driver = new TransitionDriver(env.ConnectionString, ids, Steps, EventsPerSecond,
            env.Services.GetRequiredService<RaServer.Storage.CommittedChanges>().RaiseEventsWritten, perCommit);
        var registry = env.Services.GetRequiredService<WatcherRegistry>();

        GC.Collect();
        var idle = ServerMemory.Now();
        var open = idle;
        var peak = idle;
        var openedIn = TimeSpan.Zero;
        var registered = 0;
        (long Written, TimeSpan Elapsed, double WorstLagMs) drove = default;
        var measured = await LoadProcess.RunAsync(new LoadJob
        {
            Workload = "watch", ServerAddress = env.Address.ToString(), PkiFolder = env.Pki.Folder, Connections = Channels, WarmUp = false,
            Args =
            {
                ["applications"] = idsFile, ["after-sequence"] = after.ToString(CultureInfo.InvariantCulture), ["states"] = ClientStates,
                ["quiet-seconds"] = "10",
            },
        }, env.Meter,
        beforeMeasure: async () =>
        {
            var clock = Stopwatch.StartNew();
            while (registry.Count < Streams && clock.Elapsed < OpenLimit)
                await Task.Delay(100);
            openedIn = clock.Elapsed;
            registered = registry.Count;
            open = ServerMemory.Now();
            await TopStatements.ResetAsync(env);
        },
        whileMeasured: async () =>
        {
            var sampler = new ServerMemoryPeak(TimeSpan.FromMilliseconds(250));
            try
            {
                drove = await driver.RunAsync();
            }
            finally
            {
                await sampler.DisposeAsync();
                peak = sampler.Peak;
            }
        });

        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"{registered:N0} streams registered on the server {openedIn.TotalSeconds:F1} s after the load process had started them all"));
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"wrote {drove.Written:N0} transitions in {drove.Elapsed.TotalSeconds:F1} s = {drove.Written / drove.Elapsed.TotalSeconds:N0}/s (worst lag behind schedule {drove.WorstLagMs:F0} ms)"));
        Report.Line(measured);
        Report.Note(measured.Detail ?? "");
        await TopStatements.PrintAsync(env, measured.Result.Succeeded, 8);

        var rate = drove.Written / drove.Elapsed.TotalSeconds;
        var latencyMet = measured.Result.Failed == 0 && measured.Result.P99Ms <= TargetP99Ms && rate >= 0.95 * EventsPerSecond;
        Report.Figure(string.Create(CultureInfo.InvariantCulture,
            $"T3 event → client at {rate:N0} events/s ({perCommit} per commit) over {Streams:N0} streams: p50 {measured.Result.P50Ms:F1} ms, p99 {measured.Result.P99Ms:F1} ms, "
            + $"{measured.Result.Failed:N0} missing/duplicated  [target p99 ≤ {TargetP99Ms} ms at {EventsPerSecond:N0}/s, each event once] {Met(latencyMet)}"));
        var memoryMet = ServerMemory.Max(open, peak).WorkingSetBytes <= ServerMemory.GiB;
        Report.Figure(string.Create(CultureInfo.InvariantCulture,
            $"T3 server memory: idle {idle}; {Streams:N0} streams open {open}; peak under events {peak}; "
            + $"{(open.WorkingSetBytes - idle.WorkingSetBytes) / 1024.0 / Streams:F1} KiB working set per stream  [target ≤ 1 GiB] {Met(memoryMet)}"));
    }

    private static string Met(bool met) => met ? "met" : "NOT met";
}
