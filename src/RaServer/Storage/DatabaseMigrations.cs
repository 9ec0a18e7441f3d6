using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// <see cref="Migrator"/> over the server's own data source, for Database:MigrateOnStart: the migrations run on the
/// pool the server then uses.
/// </summary>
public sealed class DatabaseMigrations(SessionDataSource sessions)
{
    public Task<IReadOnlyList<AppliedMigration>> ApplyAsync(string folder, ILogger? logger, CancellationToken ct) =>
        Migrator.MigrateAsync(sessions.DataSource, folder, logger, ct);
}
