namespace DevTools;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "The postgres OS user cannot reach {RequestedFolder}; using {FallbackFolder} for the local cluster instead")]
    public static partial void UsingFallbackFolder(ILogger logger, string requestedFolder, string fallbackFolder);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Initialising a new PostgreSQL cluster in {DataDirectory}")]
    public static partial void InitialisingCluster(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Removing stale postmaster.pid left by process {Pid}, which is no longer a postmaster of {DataDirectory}")]
    public static partial void RemovingStalePidFile(ILogger logger, int pid, string dataDirectory);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "A postmaster (pid {Pid}) already serves {DataDirectory} on port {Port}; using it, and leaving it running when we stop")]
    public static partial void AdoptingRunningServer(ILogger logger, int pid, string dataDirectory, int port);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Local PostgreSQL is accepting connections on 127.0.0.1:{Port}")]
    public static partial void ClusterStarted(ILogger logger, int port);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The running cluster listens on port {Port}, not the requested {Requested}; it keeps its port")]
    public static partial void AdoptedServerKeepsItsPort(ILogger logger, int port, int requested);
}
