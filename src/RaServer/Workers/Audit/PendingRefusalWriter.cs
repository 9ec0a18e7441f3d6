using RaServer.Storage;

namespace RaServer.Workers;

/// <summary>
/// Writes the refusals <see cref="QueuedRefusalLog"/> could not write at once: at start it queues what the journal
/// holds (what the last process left), then writes them one at a time, oldest first, retrying each with backoff until
/// the database takes it; never dropping one. Each write is idempotent (the refusal's id), so a replay after a write
/// whose answer was lost leaves one row.
/// </summary>
public sealed partial class PendingRefusalWriter(
    QueuedRefusalLog refusals, TimeSpan retryFirst, TimeSpan retryMax, TimeProvider clock, ILogger<PendingRefusalWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replayed = refusals.LoadJournal();
        if (replayed > 0)
            LogReplaying(logger, replayed);
        while (await refusals.Pending.WaitToReadAsync(stoppingToken))
        {
            while (refusals.Pending.TryRead(out var pending))
                await WriteAsync(pending, stoppingToken);
            // What found the queue full waits on disk; now there is room for it.
            if (refusals.OverflowOnDisk)
                refusals.LoadJournal();
        }
    }

    private async Task WriteAsync(PendingRefusal pending, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await refusals.Writer.WriteAsync(pending, ct);
                refusals.Written(pending);
                LogWritten(logger, pending.Id, attempt);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var wait = Backoff.Jittered(attempt, retryFirst, retryMax);
                LogRetrying(logger, e, pending.Id, attempt, wait);
                await Backoff.PauseAsync(wait, clock, ct);
            }
        }
    }

    [LoggerMessage(EventId = 4311, Level = LogLevel.Warning, Message = "Replaying {Count} journaled refusal(s) into the audit log")]
    private static partial void LogReplaying(ILogger logger, int count);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Information, Message = "Pending refusal {RefusalId} written to the audit log (attempt {Attempt})")]
    private static partial void LogWritten(ILogger logger, Guid refusalId, int attempt);

    [LoggerMessage(EventId = 4313, Level = LogLevel.Warning, Message = "Pending refusal {RefusalId} not written (attempt {Attempt}); retrying in {Wait}")]
    private static partial void LogRetrying(ILogger logger, Exception e, Guid refusalId, int attempt, TimeSpan wait);
}
