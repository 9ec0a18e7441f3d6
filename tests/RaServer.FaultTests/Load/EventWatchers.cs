using System.Collections.Concurrent;
using Customs.Ra.V1;
using Grpc.Core;
using Ra.Client.Signing;
using RaServer.FaultTests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.FaultTests.Load;

/// <summary>
/// WatchApplication clients as partner apps write them: a stream that breaks (UNAVAILABLE) is opened again on the
/// other replica from the last sequence it delivered, so the client should see each event once, in order, whatever
/// happened to the replica it was on. Two kinds: one per application (ends with the final state) and one per
/// replica for every application of the test company (runs until the test stops it).
/// </summary>
public sealed class EventWatchers(ReplicaPair pair, Ledger ledger)
{
    private const string Rpc = "WatchApplication";
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<ApplicationEvent>>> _perApplication = new();
    private readonly List<(int Replica, Task<IReadOnlyList<ApplicationEvent>> Events)> _applicant = [];
    private readonly CancellationTokenSource _stop = new();
    private int _reconnects;

    /// <summary>Streams opened again after one broke.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Per-application watchers that are, right now, reading from each replica.</summary>
    public int[] OpenOn { get; } = new int[2];

    public void WatchApplication(string applicationId, int replica) =>
        _perApplication.TryAdd(applicationId, Task.Run(() => WatchAsync(new WatchApplicationPayload { ApplicationId = applicationId }, replica, null)));

    public void WatchEveryApplication(int replica)
    {
        lock (_applicant)
        {
            var index = _applicant.Count;
            _applicantCursors[index] = 0;
            _applicant.Add((replica, Task.Run(() => WatchAsync(
                new WatchApplicationPayload { AllApplications = true }, replica, sequence => _applicantCursors[index] = sequence))));
        }
    }

    /// <summary>The last sequence the company-wide watcher furthest behind has seen.</summary>
    public long ApplicantWatchersSeenThrough => _applicantCursors.IsEmpty ? long.MaxValue : _applicantCursors.Values.Min();

    /// <summary>Waits for every per-application watcher to reach its final state, at most <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ApplicationEvent>>> ApplicationsAsync(TimeSpan timeout)
    {
        var all = Task.WhenAll(_perApplication.Values);
        if (await Task.WhenAny(all, Task.Delay(timeout)) != all)
            await _stop.CancelAsync(); // the ones still open return what they saw; the test names what is missing
        await all;
        return _perApplication.ToDictionary(w => w.Key, w => w.Value.Result);
    }

    /// <summary>Stops the company-wide watchers and returns what each saw.</summary>
    public async Task<IReadOnlyList<(int Replica, IReadOnlyList<ApplicationEvent> Events)>> StopAsync()
    {
        await _stop.CancelAsync();
        List<(int, Task<IReadOnlyList<ApplicationEvent>>)> applicant;
        lock (_applicant)
            applicant = [.. _applicant];
        var results = new List<(int, IReadOnlyList<ApplicationEvent>)>();
        foreach (var (replica, events) in applicant)
            results.Add((replica, await events));
        return results;
    }

    private readonly ConcurrentDictionary<int, long> _applicantCursors = new();

    private async Task<IReadOnlyList<ApplicationEvent>> WatchAsync(WatchApplicationPayload scope, int replica, Action<long>? progress)
    {
        var seen = new List<ApplicationEvent>();
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var payload = scope.Clone();
            payload.Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
            payload.AfterSequence = seen.Count == 0 ? 0 : seen[^1].Sequence;
            var envelope = pair.Signer.Sign(payload);
            var perApplication = scope.ScopeCase == WatchApplicationPayload.ScopeOneofCase.ApplicationId;
            var on = replica;
            if (perApplication)
                Interlocked.Increment(ref OpenOn[on]);
            try
            {
                using var call = pair.Applicants(replica).WatchApplication(new WatchApplicationRequest { Envelope = envelope }, cancellationToken: token);
                await foreach (var response in call.ResponseStream.ReadAllAsync(token))
                {
                    seen.Add(response.Event);
                    progress?.Invoke(response.Event.Sequence);
                }
                ledger.Answered(Rpc, StatusCode.OK);
                return seen; // the server ends an application's stream after its final state
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                ledger.Answered(Rpc, StatusCode.Unavailable, RetryingCaller.ReasonOf(e));
                Interlocked.Increment(ref _reconnects);
                replica = 1 - replica;
            }
            catch (Exception e) when (token.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                return seen;
            }
            catch (RpcException e)
            {
                ledger.Failed(Rpc, e);
                return seen;
            }
            finally
            {
                if (perApplication)
                    Interlocked.Decrement(ref OpenOn[on]);
            }
            try
            {
                await Task.Delay(250, token);
            }
            catch (OperationCanceledException)
            {
                return seen;
            }
        }
        return seen;
    }
}
