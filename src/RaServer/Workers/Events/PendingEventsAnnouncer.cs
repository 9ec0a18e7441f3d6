using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// After this replica's commits that left events to number: wakes the local sequencer, and when another replica leads
/// it, sends one ra_events_pending NOTIFY for however many commits happened while the previous one was sent. This
/// replaces the NOTIFY each state change's own transaction used to send (migration 0020 says why). A lost
/// announcement costs at most the sequencer's poll interval, never an event.
/// </summary>
public sealed class PendingEventsAnnouncer : BackgroundService
{
    private readonly WakeSignal _committed = new();
    private readonly EventNotifications _notifications;
    private readonly EventSequencer _sequencer;
    private readonly IOptions<EventsOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PendingEventsAnnouncer> _logger;

    public PendingEventsAnnouncer(CommittedEvents committed, EventNotifications notifications, EventSequencer sequencer,
        IOptions<EventsOptions> options, TimeProvider clock, ILogger<PendingEventsAnnouncer> logger)
    {
        _notifications = notifications;
        _sequencer = sequencer;
        _options = options;
        _clock = clock;
        _logger = logger;
        committed.Committed += _committed.Set;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.NotifyFromTrigger)
            return; // the trigger announces inside every transaction (measurement only)
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await _committed.WaitAsync(TimeSpan.FromMinutes(1), _clock, stoppingToken))
                continue;
            _sequencer.Wake();
            if (_sequencer.IsLeading)
                continue;
            try
            {
                await _notifications.AnnouncePendingAsync(stoppingToken);
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e) && !stoppingToken.IsCancellationRequested)
            {
                EventsLog.AnnouncementFailed(_logger, e);
            }
        }
    }
}
