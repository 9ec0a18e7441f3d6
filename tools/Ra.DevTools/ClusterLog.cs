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

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "A postmaster (pid {Pid}) from an earlier run still serves {DataDirectory}; stopping it to restart on our port")]
    public static partial void StoppingLeftoverServer(ILogger logger, int pid, string dataDirectory);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Local PostgreSQL is accepting connections on 127.0.0.1:{Port}")]
    public static partial void ClusterStarted(ILogger logger, int port);
}
