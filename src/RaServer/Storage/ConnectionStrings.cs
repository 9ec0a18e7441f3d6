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

    /// <summary>
    /// With <paramref name="on"/>, every session asks the applications trigger to NOTIFY inside its transaction, as
    /// before migration 0020 (Events:NotifyFromTrigger, for measuring lever 5 only).
    /// </summary>
    public static string WithNotifyInTrigger(string connectionString, bool on)
    {
        if (!on)
            return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c ra.notify_in_trigger=on".Trim();
        return builder.ConnectionString;
    }
}
