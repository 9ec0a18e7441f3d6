namespace RaServer.Workers;

internal static partial class EventsLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "This replica now numbers application events (it holds the sequencer lock)")]
    public static partial void SequencerLeading(ILogger logger);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "The event sequencer lost its connection; retrying in {Delay}")]
    public static partial void SequencerFailed(ILogger logger, Exception e, TimeSpan delay);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "Listening for event notifications (connection attempt {Attempt})")]
    public static partial void ListenerConnected(ILogger logger, int attempt);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Warning, Message = "The event listener lost its connection; reconnecting in {Delay}")]
    public static partial void ListenerFailed(ILogger logger, Exception e, TimeSpan delay);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "Could not read new events to wake watchers; retrying in {Delay}")]
    public static partial void FanOutFailed(ILogger logger, Exception e, TimeSpan delay);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Warning, Message = "Could not announce a commit to the other replicas; their polls will find it")]
    public static partial void AnnouncementFailed(ILogger logger, Exception e);
}
