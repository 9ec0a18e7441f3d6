using Microsoft.Extensions.Options;
using RaServer.Storage;

using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Turns "new sequence numbers exist" into wake-ups for exactly the watchers concerned: reads, once per replica, which
/// applications and applicants the newly numbered events belong to (ids only, no payloads), and wakes those keys. The
/// watchers then read the events themselves, by sequence, from the table. Without this every notification would send
/// every open stream to the database.
/// </summary>
public sealed class EventFanOut(
    ApplicationEventStore events,
    WatcherRegistry watchers,
    CommittedChanges committed,
    IOptions<EventsOptions> options,
    TimeProvider clock,
    ILogger<EventFanOut> logger) : BackgroundService
{
    private const int KeysPerRead = 1000;
    private readonly WakeSignal _wake = new();

    public void Wake() => _wake.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(options.Value.ReconnectMaxBackoff);
        long? seen = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Watchers read their own history when they open, so the fan-out only needs what is numbered from now on.
                seen ??= await events.HighestSequenceAsync(stoppingToken);
                seen = await WakeWatchersAfterAsync(seen.Value, stoppingToken);
                backoff.Succeeded();
                await _wake.WaitAsync(options.Value.SequencerPollInterval, clock, stoppingToken);
            }
            catch (Exception e) when ((StorageErrors.IsUnavailable(e) || e is IOException) && !stoppingToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                EventsLog.FanOutFailed(logger, e, delay);
                // Whatever this pass missed, the watchers find by re-reading.
                watchers.WakeAll();
                await Backoff.PauseAsync(delay, clock, stoppingToken);
            }
        }
    }

    /// <returns>The highest sequence read, the cursor of the next pass.</returns>
    private async Task<long> WakeWatchersAfterAsync(long after, CancellationToken ct)
    {
        while (true)
        {
            var rows = await events.ReadOwnersAfterAsync(after, KeysPerRead, ct);
            if (rows.Count == 0)
                return after;

            watchers.Wake(rows.SelectMany(KeysOf).Distinct());
            // The same notification tells the answer cache which of its entries are likely old.
            foreach (var id in rows.Select(r => r.ApplicationId).Distinct())
                committed.RaiseApplicationChanged(id);
            after = rows[^1].Sequence;
            if (rows.Count < KeysPerRead)
                return after;
        }
    }

    private static IEnumerable<WatchKey> KeysOf(EventOwner e)
    {
        yield return WatchKey.Application(e.ApplicationId);
        if (e.ApplicantUbn is not null)
            yield return WatchKey.ApplicantUbn(e.ApplicantUbn);
        if (e.ApplicantNationalId is not null)
            yield return WatchKey.ApplicantNationalId(e.ApplicantNationalId);
    }
}
