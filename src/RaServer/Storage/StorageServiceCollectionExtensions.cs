using Npgsql;

namespace RaServer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The process's one data source, over the connection string <paramref name="connectionString"/> reads from the
    /// configuration, and the storage types the other areas use over it; no other area opens a connection itself.
    /// Units of work also need the <see cref="MailOutboxSettings"/> and the <see cref="TimeProvider"/> registered.
    /// Connections that hold session state come from a <see cref="SessionDataSource"/> of their own.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        services.AddSingleton(sp => NpgsqlDataSource.Create(PooledConnectionString(connectionString(sp))));
        services.AddSingleton(sp => new SessionDataSource(connectionString(sp)));
        services.AddSingleton<CommittedChanges>();
        services.AddSingleton<UnitOfWorkFactory>();
        services.AddSingleton<DatabaseMigrations>();
        services.AddSingleton<CrlTable>();
        services.AddSingleton<EventNumbering>();
        services.AddSingleton<EventNotifications>();
        return services;
    }

    /// <summary>
    /// The main pool's settings, unless the operator's connection string sets them: the same few statements run on
    /// every call, so Npgsql prepares them (Max Auto Prepare); and no pooled connection carries session state (see
    /// <see cref="SessionDataSource"/>), so the reset Npgsql otherwise sends on every rental — about 7 statements,
    /// most of a read's statements (BENCHMARKS.md) — is skipped (No Reset On Close). Open transactions are still
    /// rolled back when a connection goes back to the pool.
    /// </summary>
    public static string PooledConnectionString(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        if (connection.MaxAutoPrepare == 0)
            connection.MaxAutoPrepare = 64;
        if (!Names(connectionString, "No Reset On Close", "NoResetOnClose"))
            connection.NoResetOnClose = true;
        return connection.ConnectionString;
    }

    private static bool Names(string connectionString, params string[] keys)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(parsed.ContainsKey);
    }
}
