namespace RaServer.Workers;

internal static partial class MailLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Sent notice {OutboxId} ({Kind}) as {MessageId}")]
    public static partial void Sent(ILogger logger, long outboxId, string kind, string messageId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning,
        Message = "Notice {OutboxId} ({Kind}) failed on attempt {Attempt}; next attempt at {NextAttemptAt}")]
    public static partial void SendFailed(ILogger logger, Exception exception, long outboxId, string kind, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not open the mail transport for a batch of {Count} notices")]
    public static partial void TransportUnavailable(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "The mail sender's run failed; it tries again after the poll interval")]
    public static partial void RunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Mail notices go to {Transport} ({Where})")]
    public static partial void TransportChosen(ILogger logger, MailTransportKind transport, string where);
}
