using Npgsql;
using DevTools;
using RaServer.Storage;

namespace RaServer.Tests.Fixtures;

/// <summary>Tests that need PostgreSQL join this collection and share one throwaway cluster.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>
/// Starts one PostgreSQL cluster for the test run in a temp folder and hands out fresh databases. A migrated
/// database is a copy of a template migrated once, which is far faster than migrating each time. When PostgreSQL
/// cannot start, the tests fail with the reason; they never skip.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string TemplateDatabase = "ra_template";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ra-tests-pg-{Guid.NewGuid():N}");
    private LocalPostgresCluster? _cluster;
    private int _databaseCounter;

    public LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    public async Task InitializeAsync()
    {
        _cluster = new LocalPostgresCluster(new LocalPostgresClusterOptions { Folder = _folder });
        try
        {
            await _cluster.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The test PostgreSQL cluster could not start, so database tests cannot run: {e.Message}", e);
        }

        await ExecuteOnServerAsync($"CREATE DATABASE {TemplateDatabase}");
        // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template, pooled connections included;
        // disposing the data source closes its pool.
        await using (var template = NpgsqlDataSource.Create(_cluster.ConnectionStringFor(TemplateDatabase)))
            await Migrator.MigrateAsync(template, Migrator.DefaultFolder, logger: null, CancellationToken.None);
        await ExecuteOnServerAsync($"ALTER DATABASE {TemplateDatabase} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    /// <summary>A new database with every migration applied.</summary>
    public Task<string> CreateDatabaseAsync() => CreateAsync(TemplateDatabase);

    /// <summary>A new database without the schema, for migration tests.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateAsync("template0");

    private async Task<string> CreateAsync(string template)
    {
        var name = $"test_{Interlocked.Increment(ref _databaseCounter)}";
        await ExecuteOnServerAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return Cluster.ConnectionStringFor(name);
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.StopAsync();
        // The postgres OS user owns the files, but this process (root, or that same user) can delete them.
        if (Directory.Exists(_cluster?.Folder ?? _folder))
            Directory.Delete(_cluster?.Folder ?? _folder, recursive: true);
    }
}
