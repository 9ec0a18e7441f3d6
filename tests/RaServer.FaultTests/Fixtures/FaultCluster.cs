using DevTools;
using Npgsql;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.FaultTests.Fixtures;

/// <summary>
/// A PostgreSQL cluster of one test class's own, never the one other tests share: the tests restart it and cut it
/// off. Hands out migrated databases, copies of a template migrated once, as <see cref="SharedPostgres"/> does.
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    private const string TemplateDatabase = "ra_template";
    private int _databases;

    public LocalPostgresCluster Cluster { get; } = new(new LocalPostgresClusterOptions
    {
        Folder = Path.Combine(SharedPostgres.Root, $"ra-fault-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"),
    });

    public async Task InitializeAsync()
    {
        await Cluster.StartAsync();
        await ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
        await using (var template = NpgsqlDataSource.Create(Cluster.ConnectionStringFor(TemplateDatabase)))
            await Migrator.MigrateAsync(template, Migrator.DefaultFolder, logger: null, CancellationToken.None);
        await ExecuteAsync($"ALTER DATABASE {TemplateDatabase} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    /// <summary>A new database with every migration applied; it lives as long as the cluster.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"fault_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateDatabase}");
        return Cluster.ConnectionStringFor(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync();
        if (Directory.Exists(Cluster.Folder))
            Directory.Delete(Cluster.Folder, recursive: true);
    }

    private async Task ExecuteAsync(string sql)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(Cluster.ConnectionStringFor("postgres")) { Pooling = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
