using Npgsql;

namespace RaServer.Storage;

/// <summary>What the driver makes of a connection string, for the Database section's validator.</summary>
public static class ConnectionStrings
{
    /// <summary>Why the driver cannot read <paramref name="connectionString"/>, or null when it can.</summary>
    public static string? Unreadable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
