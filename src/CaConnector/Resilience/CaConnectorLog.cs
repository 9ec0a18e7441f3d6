using Microsoft.Extensions.Logging;

namespace CaConnector.Resilience;

internal static partial class CaConnectorLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "CA call {Operation} failed transiently; retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "CA circuit opened for {BreakDuration}: calls fail fast until then")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration, Exception? exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "CA circuit closed: the CA answers again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "CA call {Operation} for {RequestKey} ended with an unknown outcome; reconcile before resending")]
    public static partial void OutcomeUnknown(ILogger logger, string operation, string requestKey, Exception exception);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "CA refused {Operation} for {RequestKey}: {FailureInfo} {ReasonText}")]
    public static partial void Refused(ILogger logger, string operation, string requestKey, CmpFailureInfo failureInfo, string reasonText);
}
