using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// <see cref="Migrator"/> over the server's own data source, for Database:MigrateOnStart: the migrations run on the
/// pool the server then uses.
/// </summary>
public sealed class DatabaseMigrations(NpgsqlDataSource dataSource)
{
    public Task<IReadOnlyList<AppliedMigration>> ApplyAsync(string folder, ILogger? logger, CancellationToken ct) =>
        Migrator.MigrateAsync(dataSource, folder, logger, ct);
}
