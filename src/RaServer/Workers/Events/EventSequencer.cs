using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Gives committed application events their global sequence numbers (the migration 0005 comment says why this happens
/// after commit and not at insert). Every replica runs one; a session-level advisory lock on a dedicated connection
/// lets exactly one of them work, and the others wait inside pg_advisory_lock, so PostgreSQL itself hands the work to
/// a standby the moment the leader's session ends. Woken by ra_events_pending (see <see cref="EventNotificationListener"/>)
/// and by a short poll as a safety net.
/// </summary>
public sealed partial class EventSequencer(
    EventNumbering numbering,
    IOptions<EventsOptions> options,
    EventsMetrics metrics,
    TimeProvider clock,
    ILogger<EventSequencer> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the sequencer role ("RA-SEQ" in ASCII); no other lock in the RA may use it.</summary>
    internal const long LeaderLockKey = 0x52_41_2D_53_45_51;

    private readonly WakeSignal _wake = new();

    /// <summary>Something may be waiting for a number: called for every ra_events_pending notification and on reconnect.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Whether this replica holds the sequencer's lock now (so a local wake-up is all its own writers need).</summary>
    public bool IsLeading
    {
        get => Volatile.Read(ref _leading);
        private set => Volatile.Write(ref _leading, value);
    }

    // Read by the announcer's thread while this loop writes it.
    private bool _leading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(options.Value.ReconnectMaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LeadAsync(stoppingToken);
            }
            catch (Exception e) when ((StorageErrors.IsUnavailable(e) || e is IOException) && !stoppingToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                EventsLog.SequencerFailed(logger, e, delay);
                await Backoff.PauseAsync(delay, clock, stoppingToken);
            }
        }
    }

    /// <summary>Waits to become the leader, then numbers events until the connection fails or the host stops.</summary>
    private async Task LeadAsync(CancellationToken ct)
    {
        // Disposing the leadership gives the lock up, however leading ends.
        await using var leadership = await numbering.LeadAsync(LeaderLockKey, ct);
        EventsLog.SequencerLeading(logger);
        IsLeading = true;
        try
        {
            while (true)
            {
                // A full batch means more may be waiting: go again at once rather than after the next wake-up.
                if (Measured(await leadership.NumberAsync(options.Value.SequencerBatchSize, ct)) < options.Value.SequencerBatchSize)
                    await _wake.WaitAsync(options.Value.SequencerPollInterval, clock, ct);
            }
        }
        finally
        {
            IsLeading = false;
        }
    }

    /// <summary>
    /// One numbering round on a connection of its own, for tests and tools. Safe beside the running leader: rounds
    /// serialize on the event_sequencer row, not on the advisory lock (which only keeps replicas from queueing up).
    /// </summary>
    /// <returns>How many events this round numbered.</returns>
    public async Task<int> RunRoundAsync(CancellationToken ct) =>
        Measured(await numbering.NumberRoundAsync(options.Value.SequencerBatchSize, ct));

    /// <summary>Records how long each event of a round waited for its number; returns how many the round numbered.</summary>
    private int Measured(IReadOnlyList<NumberedEvent> numbered)
    {
        foreach (var n in numbered)
            metrics.Sequenced(n.LagSeconds);
        return numbered.Count;
    }
}
