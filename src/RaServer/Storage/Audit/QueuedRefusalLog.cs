using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace RaServer.Storage;

/// <summary>
/// The refusal audit log the server uses: a refusal's row is written at once when the database takes it; when it does
/// not (PostgreSQL down, failing over), the refusal is journaled to a file (<see cref="PendingRefusalJournal"/>) and
/// queued in memory, and the pending-refusal writer (a background service) writes it later, retrying with backoff.
/// While a backlog exists new refusals join it without trying the database first: the answer does not wait for a
/// connection attempt that is known to fail, and the rows keep their order.
/// </summary>
/// <remarks>
/// The memory queue is bounded. A refusal that does not fit is still answered and still on disk: it is counted
/// (ra.audit.refusals.overflowed), logged, and read back from the journal when the queue has drained. Only a refusal
/// that neither the database nor the journal would take (a full or read-only disk as well as PostgreSQL down) is lost,
/// and that is logged as an error with the refusal's facts, the last record left of it.
/// </remarks>
public sealed partial class QueuedRefusalLog : IAuditLog
{
    public const string MeterName = "RaBackend.Audit";

    private readonly Channel<PendingRefusal> queue;
    private readonly ConcurrentDictionary<Guid, byte> queued = new();
    private readonly PendingRefusalJournal journal;
    private readonly TimeProvider clock;
    private readonly ILogger<QueuedRefusalLog> logger;
    private readonly Counter<long> overflowCounter;
    private volatile bool overflowOnDisk;
    private long overflowed;

    public QueuedRefusalLog(PostgresRefusalWriter writer, PendingRefusalJournal journal, int capacity, TimeProvider clock,
        ILogger<QueuedRefusalLog> logger, IMeterFactory? meters = null)
    {
        Writer = writer;
        this.journal = journal;
        this.clock = clock;
        this.logger = logger;
        queue = Channel.CreateBounded<PendingRefusal>(new BoundedChannelOptions(capacity) { SingleReader = true });
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        overflowCounter = meter.CreateCounter<long>("ra.audit.refusals.overflowed",
            description: "Refusals that found the pending queue full and wait in the journal on disk.");
        meter.CreateObservableGauge("ra.audit.refusals.pending", () => (long)queued.Count,
            description: "Refusals whose audit row is waiting for the database, in memory.");
    }

    public PostgresRefusalWriter Writer { get; }

    /// <summary>What the pending-refusal writer drains.</summary>
    public ChannelReader<PendingRefusal> Pending => queue.Reader;

    /// <summary>Refusals queued in memory now.</summary>
    public int PendingCount => queued.Count;

    /// <summary>Refusals that found the memory queue full since the start.</summary>
    public long Overflowed => Interlocked.Read(ref overflowed);

    public async Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken ct)
    {
        var pending = new PendingRefusal(Guid.NewGuid(), clock.GetUtcNow(), refusal);
        if (queued.IsEmpty && !overflowOnDisk)
        {
            try
            {
                await Writer.WriteAsync(pending, ct);
                return;
            }
            catch (Exception e)
            {
                LogWriteDeferred(logger, e, refusal.Rpc, refusal.Reason, pending.Id);
            }
        }
        Keep(pending);
    }

    /// <summary>The row is in the database: the refusal leaves the journal and the queue.</summary>
    public void Written(PendingRefusal pending)
    {
        journal.Delete(pending.Id);
        queued.TryRemove(pending.Id, out _);
    }

    /// <summary>
    /// Queues what the journal holds and the queue does not (at start: what the last process left; later: what
    /// overflowed). Returns how many it queued.
    /// </summary>
    public int LoadJournal()
    {
        overflowOnDisk = false;
        var loaded = 0;
        foreach (var pending in journal.ReadAll((path, e) => LogJournalUnreadable(logger, e, path)))
        {
            if (!queued.TryAdd(pending.Id, 0))
                continue;
            if (queue.Writer.TryWrite(pending))
                loaded++;
            else
            {
                queued.TryRemove(pending.Id, out _);
                overflowOnDisk = true;
                break;
            }
        }
        return loaded;
    }

    /// <summary>Whether refusals wait on disk that the memory queue had no room for.</summary>
    public bool OverflowOnDisk => overflowOnDisk;

    private void Keep(PendingRefusal pending)
    {
        var journaled = true;
        try
        {
            journal.Save(pending);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            journaled = false;
            LogJournalFailed(logger, e, journal.Folder, pending.Id);
        }
        // Already queued: a rescan of the journal found its file first.
        if (!queued.TryAdd(pending.Id, 0) || queue.Writer.TryWrite(pending))
            return;
        queued.TryRemove(pending.Id, out _);
        Interlocked.Increment(ref overflowed);
        overflowCounter.Add(1);
        if (journaled)
        {
            overflowOnDisk = true;
            LogOverflowJournaled(logger, pending.Refusal.Rpc, pending.Refusal.Reason, pending.Id);
        }
        else
            LogLost(logger, pending.Refusal.Rpc, pending.Refusal.Reason, pending.Refusal.Actor, pending.RefusedAt, pending.Id);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "The audit row of a refusal of {Rpc} ({Reason}) could not be written now; refusal {RefusalId} is kept and retried")]
    private static partial void LogWriteDeferred(ILogger logger, Exception e, string rpc, string reason, Guid refusalId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Refusal {RefusalId} could not be journaled in {Folder}; it is kept in memory only")]
    private static partial void LogJournalFailed(ILogger logger, Exception e, string folder, Guid refusalId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "The pending-refusal queue is full; refusal {RefusalId} of {Rpc} ({Reason}) waits in the journal on disk")]
    private static partial void LogOverflowJournaled(ILogger logger, string rpc, string reason, Guid refusalId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Critical, Message = "Audit row LOST: refusal {RefusalId} of {Rpc} ({Reason}) by {Actor} at {RefusedAt:o}; neither the database, the journal nor the queue took it")]
    private static partial void LogLost(ILogger logger, string rpc, string reason, string actor, DateTimeOffset refusedAt, Guid refusalId);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "Pending-refusal journal file {Path} does not parse; set aside as .unreadable")]
    private static partial void LogJournalUnreadable(ILogger logger, Exception e, string path);
}
