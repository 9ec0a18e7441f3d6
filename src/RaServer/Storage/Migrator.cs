using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace RaServer.Storage;

/// <summary>A migration that <see cref="Migrator.MigrateAsync"/> applied in this run.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum);

/// <summary>
/// Applies the numbered SQL files in order, each in its own transaction together with its journal row in
/// <c>schema_migrations</c>. Replicas that start together serialise on a session advisory lock, so each file is
/// applied exactly once; the later ones find nothing left to do.
/// </summary>
public static class Migrator
{
    /// <summary>Where the build copies db/migrations/*.sql.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "migrations");

    // Arbitrary but fixed: every RaServer replica must use the same key. ("RA" "MIGR" in ASCII.)
    private const long AdvisoryLockKey = 0x5241_4D49_4752;

    /// <summary>For the `migrate` command, which runs without the server's services: a data source of its own for the run.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(
        string connectionString, string folder, ILogger? logger, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await MigrateAsync(dataSource, folder, logger, ct);
    }

    public static async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(
        NpgsqlDataSource dataSource, string folder, ILogger? logger, CancellationToken ct)
    {
        logger ??= NullLogger.Instance;
        var files = MigrationFile.ReadFolder(folder);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Session-level lock: it spans the per-file transactions and is released when the connection closes,
        // even if this process dies mid-way.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: ct));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateJournalSql, cancellationToken: ct));
            var journal = (await connection.QueryAsync<JournalRow>(new CommandDefinition(
                "SELECT version AS Version, name AS Name, checksum AS Checksum FROM schema_migrations ORDER BY version",
                cancellationToken: ct))).ToList();
            var pending = PendingMigrations(files, journal);

            var applied = new List<AppliedMigration>();
            foreach (var file in pending)
            {
                StorageLog.ApplyingMigration(logger, file.Version, file.Name);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(file.Sql, transaction: transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (@Version, @Name, @Checksum, now())
                    """,
                    new { file.Version, file.Name, file.Checksum }, transaction, cancellationToken: ct));
                await transaction.CommitAsync(ct);
                applied.Add(new AppliedMigration(file.Version, file.Name, file.Checksum));
            }
            StorageLog.SchemaUpToDate(logger, files.Count == 0 ? 0 : files[^1].Version);
            return applied;
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }
    }

    private static async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        try
        {
            // Not the caller's token: the lock must be released even when the migration was cancelled.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey }));
        }
        catch (NpgsqlException)
        {
            // The connection is broken, so its session and the lock with it are gone; keep the original error.
        }
    }

    /// <summary>Checks the journal against the files and returns the files still to apply, in order.</summary>
    internal static IReadOnlyList<MigrationFile> PendingMigrations(IReadOnlyList<MigrationFile> files, IReadOnlyList<JournalRow> journal)
    {
        var byVersion = files.ToDictionary(f => f.Version);
        foreach (var row in journal)
        {
            if (!byVersion.TryGetValue(row.Version, out var file))
                throw new MigrationRefusedException(
                    $"Migration {row.Version:D4}_{row.Name} is applied to the database but its file is missing.");
            if (file.Checksum != row.Checksum || file.Name != row.Name)
                throw new MigrationRefusedException(
                    $"Migration {row.Version:D4}_{row.Name} was changed after it was applied (checksum {row.Checksum} " +
                    $"in the database, {file.Checksum} on disk for {file.Version:D4}_{file.Name}). Add a new migration instead.");
        }
        var latestApplied = journal.Count == 0 ? 0 : journal.Max(r => r.Version);
        var pending = files.Where(f => journal.All(r => r.Version != f.Version)).ToList();
        var outOfOrder = pending.FirstOrDefault(f => f.Version < latestApplied);
        if (outOfOrder is not null)
            throw new MigrationRefusedException(
                $"Migration {outOfOrder.Version:D4}_{outOfOrder.Name} is new but sorts before the applied {latestApplied:D4}; renumber it.");
        return pending;
    }

    internal sealed record JournalRow(int Version, string Name, string Checksum);

    private const string CreateJournalSql =
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    int         PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL, -- sha256 hex of the file, line endings normalised
            applied_at timestamptz NOT NULL
        )
        """;
}
