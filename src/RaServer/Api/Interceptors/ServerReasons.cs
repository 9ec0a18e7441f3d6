namespace RaServer.Api;

/// <summary>Reasons the server itself sends, not a refusal of the request: the caller may retry the call as it is.</summary>
public static class ServerReasons
{
    /// <summary>The database could not serve the call (unreachable, shutting down, refusing connections).</summary>
    public const string DatabaseUnavailable = "DATABASE_UNAVAILABLE";
}
