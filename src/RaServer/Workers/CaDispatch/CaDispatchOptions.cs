namespace RaServer.Workers;

/// <summary>Configuration section "CaDispatch".</summary>
public sealed class CaDispatchOptions
{
    public const string Section = "CaDispatch";

    /// <summary>How often each replica looks for due CA requests when nothing wakes it sooner.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many requests one replica works on at once; 0 turns the background workers off (tests drive RunOnceAsync).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Most due requests one worker claims at once: it asks the CA for them one after another and their outcomes commit
    /// together, one commit for the batch instead of one per request. 1 is one request per transaction.
    /// </summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// How long claimed requests stay a worker's own without a renewal. The worker renews every third of it while the
    /// CA works; when a replica dies, its requests are sent by another one after at most this long.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry delay after a transient failure; it doubles per attempt (with jitter) up to MaxBackoff.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts at one request.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
