using System.Diagnostics;
using RaServer.FaultTests.Fixtures;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.FaultTests.Load;

/// <summary>
/// One fault test from start to verdict: two replicas, the test company in the registry, a company-wide watcher on
/// each replica, then the journey load; the test makes its fault; <see cref="FinishAsync"/> stops the load,
/// reconciles, reports the figures and fails on any problem.
/// </summary>
public sealed class FaultRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopLoad = new();
    private readonly ITestOutputHelper _output;
    private Task _load = Task.CompletedTask;
    private int _clients;

    private FaultRun(ReplicaPair pair, ITestOutputHelper output)
    {
        Pair = pair;
        _output = output;
        Ledger = new Ledger();
        Watchers = new EventWatchers(pair, Ledger);
        Journeys = new JourneyLoad(pair, Ledger, Watchers);
    }

    public ReplicaPair Pair { get; }
    public Ledger Ledger { get; }
    public EventWatchers Watchers { get; }
    public JourneyLoad Journeys { get; }

    public static async Task<FaultRun> StartAsync(
        string serverConnectionString, string testConnectionString, SmtpServerFixture smtp, ITestOutputHelper output,
        Action<string, Dictionary<string, string?>>? configure = null)
    {
        var pair = await ReplicaPair.StartAsync(serverConnectionString, testConnectionString, smtp, configure);
        await pair.LoadCompanyAsync();
        var run = new FaultRun(pair, output);
        run.Watchers.WatchEveryApplication(0);
        run.Watchers.WatchEveryApplication(1);
        return run;
    }

    public void StartLoad(int clients)
    {
        _clients = clients;
        _load = Journeys.RunAsync(clients, _stopLoad.Token);
    }

    /// <summary>Stops the load (journeys under way finish first), reconciles and reports; fails on any problem.</summary>
    public async Task FinishAsync(string test, string fault, TimeSpan faultDuration, Stopwatch faultOver, Dictionary<string, double>? extra = null)
    {
        await _stopLoad.CancelAsync();
        await _load;
        var reconciliation = new Reconciliation(Pair, Ledger, Watchers);
        var figures = await reconciliation.ReconcileAsync(new FaultFigures
        {
            Test = test, Fault = fault, Clients = _clients, Journeys = Journeys.Journeys, FaultSeconds = faultDuration.TotalSeconds,
            Extra = extra ?? [],
        }, faultOver);
        figures.Report(_output);
        reconciliation.AssertNoProblems();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopLoad.CancelAsync();
        await Pair.DisposeAsync();
        _stopLoad.Dispose();
    }
}
