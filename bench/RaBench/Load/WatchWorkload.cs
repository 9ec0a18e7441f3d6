using System.Diagnostics;
using System.Globalization;
using Customs.Ra.V1;
using Grpc.Core;
using Ra.Client.Signing;

namespace RaBench.Load;

/// <summary>
/// T3: one WatchApplication stream per application (Args: applications, a file of ids; after-sequence), as a partner
/// app watches each application it waits on, spread over <see cref="LoadJob.Connections"/> channels (each opens more
/// HTTP/2 connections when the server's per-connection stream limit is reached). Envelopes are signed and the
/// streams opened before the clock starts. Then it observes the events the parent writes (Args: states, the to-states
/// every application goes through, in order; timeout-seconds): each event's latency runs from its occurred_at (set by
/// the parent just before its commit) to the moment this process reads it, and every stream must see exactly its
/// application's events, once each, in order. It stops when all have come, or when none has come for Args:
/// quiet-seconds (the parent may write slower than planned; a stall is what ends the watch, not a schedule).
/// </summary>
public sealed class WatchWorkload : ChannelWorkload, IObservingWorkload
{
    // After the last expected event, how long to keep listening for a duplicate.
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _allSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string[] _ids = [];
    private ApplicationState[] _states = [];
    private List<ApplicationState>[] _seen = [];
    private double[] _latenciesMs = [];
    private long _delivered;
    private long _expected;
    private TimeSpan _quiet;
    private long _lastArrival = Stopwatch.GetTimestamp();
    private readonly List<Task> _readers = [];
    private string? _streamError;
    private long _streamErrors;

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        _ids = await File.ReadAllLinesAsync(job.Arg("applications"), ct);
        _states = job.Arg("states").Split(',').Select(Enum.Parse<ApplicationState>).ToArray();
        _quiet = TimeSpan.FromSeconds(double.Parse(job.Arg("quiet-seconds"), CultureInfo.InvariantCulture));
        var after = long.Parse(job.Arg("after-sequence"), CultureInfo.InvariantCulture);
        _expected = (long)_ids.Length * _states.Length;
        _latenciesMs = new double[_expected];
        _seen = _ids.Select(_ => new List<ApplicationState>(_states.Length)).ToArray();

        using var company = Client.CompanyCertificate();
        var signer = new RequestSigner(company);
        var clock = Stopwatch.StartNew();
        var requests = _ids.AsParallel().AsOrdered().Select(id => new WatchApplicationRequest
        {
            Envelope = signer.Sign(new WatchApplicationPayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = id, AfterSequence = after,
            }),
        }).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signed {requests.Length:N0} watch envelopes in {clock.Elapsed.TotalSeconds:F1} s"));

        var clients = Enumerable.Range(0, Client.Count).Select(i => new RegistrationAuthority.RegistrationAuthorityClient(Client[i])).ToArray();
        for (var i = 0; i < requests.Length; i++)
        {
            var call = clients[i % clients.Length].WatchApplication(requests[i], cancellationToken: _stop.Token);
            _readers.Add(ReadAsync(call, i));
        }
        // The server sends no headers until the first event, so the parent, which hosts it, counts the registered streams.
    }

    private async Task ReadAsync(AsyncServerStreamingCall<WatchApplicationResponse> call, int stream)
    {
        using var _ = call;
        var seen = _seen[stream];
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                var latency = (DateTime.UtcNow - message.Event.OccurredAt.ToDateTime()).TotalMilliseconds;
                Volatile.Write(ref _lastArrival, Stopwatch.GetTimestamp());
                var first = !seen.Contains(message.Event.ToState);
                seen.Add(message.Event.ToState);
                if (message.Event.ApplicationId != _ids[stream] || !first)
                    continue; // counted as wrong when checked
                var n = Interlocked.Increment(ref _delivered);
                if (n <= _expected)
                    _latenciesMs[n - 1] = latency;
                if (n == _expected)
                    _allSeen.TrySetResult();
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _streamErrors);
            Interlocked.CompareExchange(ref _streamError, $"{e.GetType().Name}: {e.Message}", null);
        }
    }

    public async Task<(LoadResult Result, string Detail)> ObserveAsync()
    {
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref _lastArrival, Stopwatch.GetTimestamp());
        while (!_allSeen.Task.IsCompleted && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastArrival)) < _quiet)
            await Task.WhenAny(_allSeen.Task, Task.Delay(TimeSpan.FromMilliseconds(200)));
        var elapsed = clock.Elapsed;
        await Task.Delay(DuplicateWindow);
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);

        long exact = 0, missing = 0, extra = 0;
        foreach (var seen in _seen)
        {
            if (seen.SequenceEqual(_states))
                exact++;
            missing += _states.Count(s => !seen.Contains(s));
            extra += seen.Count - seen.Distinct().Count(_states.Contains);
        }
        var delivered = Math.Min(Interlocked.Read(ref _delivered), _expected);
        var latencies = _latenciesMs[..(int)delivered];
        Array.Sort(latencies);
        var failed = missing + extra + Interlocked.Read(ref _streamErrors);
        var firstError = _streamError ?? (failed > 0 ? $"{missing:N0} events missing, {extra:N0} duplicated or unexpected" : null);
        var result = LoadResult.FromLatencies($"{_ids.Length:N0} WatchApplication streams", _ids.Length, failed, elapsed, latencies, firstError);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{delivered:N0} of {_expected:N0} expected events delivered; {exact:N0} of {_ids.Length:N0} streams saw exactly their {_states.Length} events once each, in order; "
            + $"{missing:N0} missing, {extra:N0} duplicated or unexpected, {Interlocked.Read(ref _streamErrors):N0} streams failed");
        return (result, detail);
    }

    public override Task OperationAsync(long n) => throw new NotSupportedException("the watch workload observes; it makes no calls on the clock");

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        await base.DisposeAsync();
    }
}
