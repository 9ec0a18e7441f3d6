using Npgsql;
using DevTools;
using RaServer.Storage;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// A test class's handle on the test run's one PostgreSQL cluster (<see cref="SharedPostgres"/>): classes take it
/// as an <c>IClassFixture&lt;PostgresFixture&gt;</c>, so each class gets its own databases and classes run in
/// parallel. The databases it handed out are dropped when the class is done. When PostgreSQL cannot start, the
/// tests fail with the reason; they never skip.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public LocalPostgresCluster Cluster => SharedPostgres.Cluster;

    public Task InitializeAsync() => SharedPostgres.StartedAsync();

    /// <summary>A new database with every migration applied.</summary>
    public Task<string> CreateDatabaseAsync() => TrackAsync(SharedPostgres.CreateDatabaseAsync());

    /// <summary>A new database without the schema, for migration tests.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => TrackAsync(SharedPostgres.CreateEmptyDatabaseAsync());

    /// <summary>A new database that is a copy of <paramref name="connectionString"/>'s, which nobody may be connected to.</summary>
    public Task<string> CopyDatabaseAsync(string connectionString) =>
        TrackAsync(SharedPostgres.CopyDatabaseAsync(connectionString));

    private async Task<string> TrackAsync(Task<string> creating)
    {
        var connectionString = await creating;
        lock (_databases)
            _databases.Add(connectionString);
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        string[] databases;
        lock (_databases)
            databases = [.. _databases];
        foreach (var connectionString in databases)
            await SharedPostgres.DropDatabaseAsync(connectionString);
    }
}

/// <summary>
/// One PostgreSQL cluster for the whole test process, started by the first test that needs it and stopped by
/// <see cref="RaTestFramework"/> when the last test has run. It hands out fresh databases: a migrated database is a
/// copy of a template migrated once, far faster than migrating each time.
/// </summary>
/// <remarks>
/// The cluster lives on /dev/shm (tmpfs) when the machine has it: CREATE DATABASE opens and writes every file of the
/// template, and on this project's virtual disks that is several times slower than in memory (about 160 ms of CPU
/// per database on ext4, 30 ms on tmpfs). PostgreSQL's durable settings stay as they are; only the medium changes.
/// </remarks>
public static class SharedPostgres
{
    private const string TemplateDatabase = "ra_template";
    private static readonly Lazy<Task<LocalPostgresCluster>> Started = new(StartAsync);
    private static int _databaseCounter;

    public static LocalPostgresCluster Cluster =>
        Started.IsValueCreated && Started.Value.IsCompletedSuccessfully
            ? Started.Value.Result
            : throw new InvalidOperationException("The shared PostgreSQL cluster has not started.");

    public static Task StartedAsync() => Started.Value;

    /// <summary>A new database with every migration applied.</summary>
    public static Task<string> CreateDatabaseAsync() => CreateAsync(TemplateDatabase);

    /// <summary>A new database without the schema, for migration tests.</summary>
    public static Task<string> CreateEmptyDatabaseAsync() => CreateAsync("template0");

    /// <summary>A new database copied from another one (CREATE DATABASE … TEMPLATE), after closing this process's pool on it.</summary>
    public static async Task<string> CopyDatabaseAsync(string connectionString)
    {
        await using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);
        return await CreateAsync(new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }

    /// <summary>Drops a database this class handed out, closing whatever connections are still open on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);
        await ExecuteOnServerAsync(await Started.Value, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static async Task<string> CreateAsync(string template)
    {
        var cluster = await Started.Value;
        var name = $"test_{Interlocked.Increment(ref _databaseCounter)}";
        await ExecuteOnServerAsync(cluster, $"CREATE DATABASE {name} TEMPLATE {template}");
        return cluster.ConnectionStringFor(name);
    }

    /// <summary>Where test clusters live: /dev/shm where the machine has it (see the remarks), else the temp folder.</summary>
    public static string Root { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private static async Task<LocalPostgresCluster> StartAsync()
    {
        var cluster = new LocalPostgresCluster(new LocalPostgresClusterOptions
        {
            Folder = Path.Combine(Root, $"ra-tests-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"),
        });
        try
        {
            await cluster.StartAsync();
        }
        catch (Exception e)
        {
            Delete(cluster);
            throw new InvalidOperationException($"The test PostgreSQL cluster could not start, so database tests cannot run: {e.Message}", e);
        }

        await ExecuteOnServerAsync(cluster, $"CREATE DATABASE {TemplateDatabase}");
        // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template, pooled connections included;
        // disposing the data source closes its pool.
        await using (var template = NpgsqlDataSource.Create(cluster.ConnectionStringFor(TemplateDatabase)))
            await Migrator.MigrateAsync(template, Migrator.DefaultFolder, logger: null, CancellationToken.None);
        await ExecuteOnServerAsync(cluster, $"ALTER DATABASE {TemplateDatabase} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
        return cluster;
    }

    /// <summary>Stops the cluster and deletes its files, if it was started; called once, after the last test.</summary>
    public static async Task StopAsync()
    {
        if (!Started.IsValueCreated)
            return;
        LocalPostgresCluster cluster;
        try
        {
            cluster = await Started.Value;
        }
        catch (InvalidOperationException)
        {
            return; // it never started, and the tests that needed it have failed with the reason
        }
        NpgsqlConnection.ClearAllPools();
        await cluster.StopAsync();
        Delete(cluster);
    }

    private static void Delete(LocalPostgresCluster cluster)
    {
        // The postgres OS user owns the files, but this process (root, or that same user) can delete them.
        if (Directory.Exists(cluster.Folder))
            Directory.Delete(cluster.Folder, recursive: true);
    }

    private static async Task ExecuteOnServerAsync(LocalPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
