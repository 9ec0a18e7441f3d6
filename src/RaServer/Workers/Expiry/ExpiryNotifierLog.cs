namespace RaServer.Workers;

internal static partial class ExpiryNotifierLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information,
        Message = "Expiry notices for the week of {WeekOf}: {Count} enqueued by this run; more remain for the next check")]
    public static partial void Carried(ILogger logger, DateOnly weekOf, int count);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information,
        Message = "Expiry notices for the week of {WeekOf} are complete: {Count} enqueued by this run, {WeekTotal} this week")]
    public static partial void WeekComplete(ILogger logger, DateOnly weekOf, int count, int weekTotal);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning,
        Message = "Certificate {Serial} expires soon but its notice e-mail '{Recipient}' is not an address; no notice this week")]
    public static partial void BadAddress(ILogger logger, string serial, string recipient);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Debug, Message = "Another replica holds the expiry notifier lock; this check does nothing")]
    public static partial void AnotherReplicaRuns(ILogger logger);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Error, Message = "The expiry notifier's run failed; the next check tries again")]
    public static partial void RunFailed(ILogger logger, Exception exception);
}
