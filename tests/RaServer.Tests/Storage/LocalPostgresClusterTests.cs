using System.Diagnostics;
using System.Runtime.Versioning;
using Dapper;
using Npgsql;
using DevTools;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

/// <summary>
/// Each test runs its own cluster in its own folder, apart from the shared one; in memory (/dev/shm) like the shared
/// one where the machine has it, because initdb and crash recovery are several times slower on its virtual disk.
/// </summary>
[SupportedOSPlatform("linux")] // PostgreSQL's Debian binaries, runuser, unix file modes
public sealed class LocalPostgresClusterTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(SharedPostgres.Root, $"ra-cluster-test-{Guid.NewGuid():N}");
    private readonly List<LocalPostgresCluster> _clusters = [];

    private LocalPostgresCluster NewCluster(string? folder = null)
    {
        var cluster = new LocalPostgresCluster(new LocalPostgresClusterOptions { Folder = folder ?? _folder });
        _clusters.Add(cluster);
        return cluster;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Several instances may share one folder: stop them all before deleting anything.
        foreach (var cluster in Enumerable.Reverse(_clusters))
            await cluster.StopAsync();
        foreach (var folder in _clusters.Select(c => c.Folder).Distinct().Where(Directory.Exists))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_new_cluster_listens_on_loopback_only_with_durable_commits_and_its_socket_in_its_folder()
    {
        var cluster = NewCluster();
        await cluster.StartAsync();

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal("ra", connection.Database);
        Assert.Equal("127.0.0.1", await connection.ExecuteScalarAsync<string>("SHOW listen_addresses"));
        Assert.Equal(cluster.SocketDirectory, await connection.ExecuteScalarAsync<string>("SHOW unix_socket_directories"));
        Assert.Equal("on", await connection.ExecuteScalarAsync<string>("SHOW fsync"));
        Assert.Equal("on", await connection.ExecuteScalarAsync<string>("SHOW synchronous_commit"));
    }

    [Fact]
    public async Task A_restarted_cluster_reuses_its_data_directory()
    {
        var first = NewCluster();
        await first.StartAsync();
        await ExecuteAsync(first, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
        await first.StopAsync();

        var second = NewCluster();
        await second.StartAsync();

        Assert.Equal("still here", await ScalarAsync<string>(second, "SELECT value FROM kept"));
    }

    [Fact]
    public async Task A_cluster_whose_postmaster_was_killed_starts_again_with_its_committed_data()
    {
        var first = NewCluster();
        await first.StartAsync();
        await ExecuteAsync(first, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('committed')");
        using (var postmaster = Process.GetProcessById(PostmasterPid(first)))
        {
            postmaster.Kill();
            await postmaster.WaitForExitAsync();
        }
        Assert.True(File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")), "a killed postmaster leaves its pid file");

        var second = NewCluster();
        await second.StartAsync();

        Assert.Equal("committed", await ScalarAsync<string>(second, "SELECT value FROM kept"));
    }

    [Fact]
    public async Task A_server_already_running_on_its_own_folder_is_adopted_and_left_running_when_the_adopter_stops()
    {
        var earlier = NewCluster();
        await earlier.StartAsync();
        await ExecuteAsync(earlier, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('from the earlier run')");
        var earlierPid = PostmasterPid(earlier);

        var later = NewCluster();
        await later.StartAsync();
        Assert.True(later.Adopted);
        Assert.Equal(earlier.Port, later.Port);
        Assert.Equal(earlierPid, PostmasterPid(later));
        Assert.Equal("from the earlier run", await ScalarAsync<string>(later, "SELECT value FROM kept"));

        await later.StopAsync();

        Assert.Equal(1, await ScalarAsync<int>(earlier, "SELECT 1"));
        Assert.Equal(earlierPid, PostmasterPid(earlier));
    }

    [Fact]
    public async Task A_cluster_stops_the_server_it_started()
    {
        var cluster = NewCluster();
        await cluster.StartAsync();
        Assert.False(cluster.Adopted);

        await cluster.StopAsync();

        Assert.False(File.Exists(Path.Combine(cluster.DataDirectory, "postmaster.pid")), "a stopped postmaster removes its pid file");
    }

    [Fact]
    public async Task A_folder_the_postgres_user_cannot_reach_is_replaced_by_one_under_tmp_when_running_as_root()
    {
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var requested = Path.Combine(_folder, "pg");
        var cluster = NewCluster(requested);

        await cluster.StartAsync();

        if (Environment.UserName == "root")
            Assert.StartsWith(Path.Combine(Path.GetTempPath(), "ra-pg-"), cluster.Folder);
        else
            Assert.Equal(requested, cluster.Folder); // an ordinary user runs the cluster itself and can reach its own folder
        Assert.Equal(1, await ScalarAsync<int>(cluster, "SELECT 1"));
        Directory.Delete(_folder, recursive: true);
    }

    private static int PostmasterPid(LocalPostgresCluster cluster) =>
        int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First());

    private static async Task ExecuteAsync(LocalPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.ExecuteAsync(sql);
    }

    private static async Task<T?> ScalarAsync<T>(LocalPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql);
    }
}
