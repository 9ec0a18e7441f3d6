using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Tells the other replicas what this one committed, once per burst, after the commits:
/// - events that wait for their numbers: the local sequencer is woken, and when another replica leads it, one
///   ra_events_pending NOTIFY goes out (this replaces the NOTIFY each state change's own transaction used to send;
///   migration 0020 says why);
/// - CA requests that wait: one ra_ca_requests NOTIFY, so every replica's workers start at once instead of at their
///   next poll (this replica's own were woken by <see cref="CaOutboxSignal"/> already).
/// However many commits happen while one announcement is sent, they are covered by the next. A lost announcement
/// costs at most a poll interval, never an event or a request.
/// </summary>
public sealed class CommitAnnouncer : BackgroundService
{
    private readonly WakeSignal _events = new();
    private readonly WakeSignal _caRequests = new();
    private readonly EventNotifications _notifications;
    private readonly EventSequencer _sequencer;
    private readonly IOptions<EventsOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<CommitAnnouncer> _logger;

    public CommitAnnouncer(CommittedChanges committed, CaOutboxSignal caOutbox, EventNotifications notifications, EventSequencer sequencer,
        IOptions<EventsOptions> options, TimeProvider clock, ILogger<CommitAnnouncer> logger)
    {
        _notifications = notifications;
        _sequencer = sequencer;
        _options = options;
        _clock = clock;
        _logger = logger;
        committed.EventsWritten += _events.Set;
        caOutbox.QueuedHere += _caRequests.Set;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        // With Events:NotifyFromTrigger the trigger announces inside every transaction (measurement only).
        _options.Value.NotifyFromTrigger ? Task.CompletedTask : AnnounceAsync(_events, AnnounceEventsAsync, stoppingToken),
        AnnounceAsync(_caRequests, ct => _notifications.AnnounceAsync(EventNotifications.CaRequestsChannel, ct), stoppingToken));

    private async Task AnnounceEventsAsync(CancellationToken ct)
    {
        _sequencer.Wake();
        if (!_sequencer.IsLeading)
            await _notifications.AnnounceAsync(EventNotifications.PendingChannel, ct);
    }

    private async Task AnnounceAsync(WakeSignal committed, Func<CancellationToken, Task> announce, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await committed.WaitAsync(TimeSpan.FromMinutes(1), _clock, stoppingToken))
                continue;
            try
            {
                await announce(stoppingToken);
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e) && !stoppingToken.IsCancellationRequested)
            {
                EventsLog.AnnouncementFailed(_logger, e);
            }
        }
    }
}
