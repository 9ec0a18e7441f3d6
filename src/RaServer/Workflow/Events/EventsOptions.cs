namespace RaServer.Workflow;

/// <summary>The "Events" section: how the event sequencer, the notification listener and watch streams pace themselves.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>
    /// How often the sequencer looks for unnumbered events when no ra_events_pending notification woke it: a safety
    /// net for a notification lost while the listener reconnected.
    /// </summary>
    public TimeSpan SequencerPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// For measurement only: announce pending events with a NOTIFY inside every state change's transaction, as before
    /// migration 0020, instead of once per burst after commit. The benchmark's "before" of lever 5; never faster.
    /// </summary>
    public bool NotifyFromTrigger { get; set; }

    /// <summary>Most events numbered in one sequencer transaction; a larger backlog takes several rounds back to back.</summary>
    public int SequencerBatchSize { get; set; } = 1000;

    /// <summary>
    /// How often an idle watch stream re-reads the table without being woken: a safety net, never the normal path.
    /// Each open stream costs one query per interval, so at 10,000 streams 5 s is 2,000 queries a second.
    /// </summary>
    public TimeSpan WatchRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most events one stream reads (and so holds in memory) at a time.</summary>
    public int WatchBatchSize { get; set; } = 100;

    /// <summary>The longest pause between attempts to re-open the listener or sequencer connection; attempts double up to it.</summary>
    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After this long without a notification the listener sends a trivial query, so a connection that died silently
    /// (no FIN, no RST) is noticed and replaced instead of waiting forever.
    /// </summary>
    public TimeSpan ListenerIdleCheck { get; set; } = TimeSpan.FromSeconds(30);
}
