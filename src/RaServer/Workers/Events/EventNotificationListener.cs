using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// The replica's one dedicated LISTEN connection (docs/ARCHITECTURE.md §3). ra_events_pending wakes the sequencer;
/// ra_events (a new highest sequence) wakes the fan-out, which wakes the watchers concerned; ra_ca_requests (a CA
/// request committed on some replica) wakes this replica's CA workers. Nothing here ever waits
/// for a consumer: every hand-off is a <see cref="WakeSignal"/>. Notifications sent while this connection is down are
/// lost, so every (re)connection wakes everyone, and they re-read the table: nothing committed is ever missed.
/// </summary>
public sealed class EventNotificationListener(
    EventNotifications notifications,
    EventSequencer sequencer,
    EventFanOut fanOut,
    WatcherRegistry watchers,
    CaOutboxSignal caOutbox,
    IOptions<EventsOptions> options,
    TimeProvider clock,
    ILogger<EventNotificationListener> logger) : BackgroundService
{
    private int _attempts;

    /// <summary>The backend pid of the current LISTEN connection (0 while disconnected), so tests can terminate it.</summary>
    public int BackendProcessId { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(options.Value.ReconnectMaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(backoff, stoppingToken);
            }
            catch (Exception e) when ((StorageErrors.IsUnavailable(e) || e is IOException or InvalidOperationException)
                                      && !stoppingToken.IsCancellationRequested)
            {
                BackendProcessId = 0;
                var delay = backoff.Next();
                EventsLog.ListenerFailed(logger, e, delay);
                await Backoff.PauseAsync(delay, clock, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(ReconnectBackoff backoff, CancellationToken ct)
    {
        await using var subscription = await notifications.ListenAsync(sequencer.Wake, fanOut.Wake, caOutbox.WakeWorkers, ct);
        BackendProcessId = subscription.BackendProcessId;
        backoff.Succeeded();
        EventsLog.ListenerConnected(logger, ++_attempts);

        // Whatever was notified while no one listened is found by re-reading.
        sequencer.Wake();
        fanOut.Wake();
        watchers.WakeAll();
        caOutbox.WakeWorkers();

        while (true)
        {
            // Notifications wake the sequencer and the fan-out from inside this wait, on this loop; a quiet period ends
            // in a trivial query, so a silently dead connection fails here instead of leaving the replica deaf.
            await subscription.WaitAsync(options.Value.ListenerIdleCheck, ct);
        }
    }
}
