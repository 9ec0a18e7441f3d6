namespace RaServer.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Applying migration {Version} {Name}")]
    public static partial void ApplyingMigration(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Database schema is up to date at version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, int version);
}
