using Dapper;
using Npgsql;
using DevTools;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

public sealed class MigratorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _scratchFolder = Directory.CreateTempSubdirectory("ra-migrations-").FullName;

    public void Dispose() => Directory.Delete(_scratchFolder, recursive: true);

    [Fact]
    public async Task Migrating_an_empty_database_applies_every_file_and_journals_it()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        var files = MigrationFile.ReadFolder(Migrator.DefaultFolder);

        var applied = await Migrator.MigrateAsync(db, Migrator.DefaultFolder, null, CancellationToken.None);

        Assert.Equal(files.Select(f => f.Version), applied.Select(a => a.Version));
        var journal = await ReadJournalAsync(db);
        Assert.Equal(files.Select(f => (f.Version, f.Name, f.Checksum)), journal);
        Assert.Contains(files, f => f.Name == "registry");
        foreach (var table in new[] { "operators", "broker_staff", "mandates", "audit_log", "signed_requests", "crls" })
            Assert.True(await TableExistsAsync(db, table), $"table {table} is missing");
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_applies_nothing()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var journalBefore = await ReadJournalAsync(db);

        var applied = await Migrator.MigrateAsync(db, Migrator.DefaultFolder, null, CancellationToken.None);

        Assert.Empty(applied);
        Assert.NotEmpty(journalBefore);
        Assert.Equal(journalBefore, await ReadJournalAsync(db));
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_is_refused()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0001_first.sql"), "CREATE TABLE first_table (id int);");
        await Migrator.MigrateAsync(db, _scratchFolder, null, CancellationToken.None);

        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0001_first.sql"), "CREATE TABLE first_table (id bigint);");
        var refusal = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => Migrator.MigrateAsync(db, _scratchFolder, null, CancellationToken.None));

        Assert.Contains("0001_first was changed", refusal.Message);
    }

    [Fact]
    public async Task A_migration_whose_file_disappeared_is_refused()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0001_first.sql"), "CREATE TABLE first_table (id int);");
        await Migrator.MigrateAsync(db, _scratchFolder, null, CancellationToken.None);

        File.Delete(Path.Combine(_scratchFolder, "0001_first.sql"));
        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0002_second.sql"), "CREATE TABLE second_table (id int);");
        var refusal = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => Migrator.MigrateAsync(db, _scratchFolder, null, CancellationToken.None));

        Assert.Contains("file is missing", refusal.Message);
        Assert.False(await TableExistsAsync(db, "second_table"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_neither_its_changes_nor_its_journal_row()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0001_first.sql"), "CREATE TABLE first_table (id int);");
        await File.WriteAllTextAsync(Path.Combine(_scratchFolder, "0002_broken.sql"),
            "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;");

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Migrator.MigrateAsync(db, _scratchFolder, null, CancellationToken.None));

        Assert.Equal([1], (await ReadJournalAsync(db)).Select(r => r.Version));
        Assert.False(await TableExistsAsync(db, "half_done"));
    }

    [Fact]
    public async Task Two_migrators_starting_together_on_an_empty_database_both_succeed_and_apply_each_file_once()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        // Separate data sources, as two replicas would have.
        await using var replicaA = NpgsqlDataSource.Create(connectionString);
        await using var replicaB = NpgsqlDataSource.Create(connectionString);
        var files = MigrationFile.ReadFolder(Migrator.DefaultFolder);

        var results = await Task.WhenAll(
            Task.Run(() => Migrator.MigrateAsync(replicaA, Migrator.DefaultFolder, null, CancellationToken.None)),
            Task.Run(() => Migrator.MigrateAsync(replicaB, Migrator.DefaultFolder, null, CancellationToken.None)));

        var appliedVersions = results.SelectMany(r => r).Select(a => a.Version).Order();
        Assert.Equal(files.Select(f => f.Version), appliedVersions);
        Assert.Equal(files.Select(f => f.Version), (await ReadJournalAsync(replicaA)).Select(r => r.Version));
    }

    private static async Task<List<(int Version, string Name, string Checksum)>> ReadJournalAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(int, string, string)>(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        return rows.ToList();
    }

    private static async Task<bool> TableExistsAsync(NpgsqlDataSource db, string table)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });
    }
}
