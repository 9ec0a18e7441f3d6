using Npgsql;

namespace RaServer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The process's one data source, over the connection string <paramref name="connectionString"/> reads from the
    /// configuration, and the storage types the other areas use over it; no other area opens a connection itself.
    /// Units of work also need the <see cref="MailOutboxSettings"/> and the <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        services.AddSingleton(sp =>
        {
            var connection = new NpgsqlConnectionStringBuilder(connectionString(sp));
            // The same few statements run on every call: let Npgsql prepare them, unless the operator chose otherwise.
            if (connection.MaxAutoPrepare == 0)
                connection.MaxAutoPrepare = 64;
            return NpgsqlDataSource.Create(connection.ConnectionString);
        });
        services.AddSingleton<UnitOfWorkFactory>();
        services.AddSingleton<DatabaseMigrations>();
        services.AddSingleton<CrlTable>();
        services.AddSingleton<EventNumbering>();
        services.AddSingleton<EventNotifications>();
        return services;
    }
}
